// Package repair holds the steps that fix a document instead of judging it:
//
//   - normalize: Unicode NFC, line endings, whitespace, invisible characters, optional mojibake repair;
//   - repetition_repair: removes repeated lines, paragraphs and whole repeated bodies, keeping the first copy;
//   - boilerplate: removes stand-alone boilerplate lines ("Baca juga: …", "Sumber: Reuters", "© 2023 …");
//   - pii: replaces e-mail addresses, IP addresses, phone numbers and payment card numbers with placeholders.
//
// Scraped news pages often carry their body twice (a teaser and the full text, or a
// print copy) plus related-article links and copyright lines. Discarding such pages
// loses good text; these steps keep the article once and drop the rest. Every removed
// line is listed in metadata["repairs"] so that a report can show the diff.
package repair
