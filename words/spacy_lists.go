// Code generated from spaCy v3.8 punctuation rules (spacy/lang/char_classes.py,
// spacy/lang/punctuation.py, spacy/lang/id/punctuation.py, spacy/lang/ms/punctuation.py;
// MIT License, Copyright (C) 2016-2024 ExplosionAI GmbH). DO NOT EDIT.

package words

// currency symbols, in rule order
var currencyBase = []string{"$", "£", "€", "¥", "฿", "US$", "C$", "A$", "₽", "﷼", "₴", "₠", "₡", "₢", "₣", "₤", "₥", "₦", "₧", "₨", "₩", "₪", "₫", "€", "₭", "₮", "₯", "₰", "₱", "₲", "₳", "₴", "₵", "₶", "₷", "₸", "₹", "₺", "₻", "₼", "₽", "₾", "₿"}

// Indonesian currency symbols, in rule order
var currencyID = []string{"$", "£", "€", "¥", "฿", "US$", "C$", "A$", "₽", "﷼", "₴", "₠", "₡", "₢", "₣", "₤", "₥", "₦", "₧", "₨", "₩", "₪", "₫", "€", "₭", "₮", "₯", "₰", "₱", "₲", "₳", "₴", "₵", "₶", "₷", "₸", "₹", "₺", "₻", "₼", "₽", "₾", "₿", "USD", "Rp", "IDR", "RMB", "SGD", "S$"}

// Malay currency symbols, in rule order
var currencyMS = []string{"$", "£", "€", "¥", "฿", "US$", "C$", "A$", "₽", "﷼", "₴", "₠", "₡", "₢", "₣", "₤", "₥", "₦", "₧", "₨", "₩", "₪", "₫", "€", "₭", "₮", "₯", "₰", "₱", "₲", "₳", "₴", "₵", "₶", "₷", "₸", "₹", "₺", "₻", "₼", "₽", "₾", "₿", "USD", "RM", "MYR", "Rp", "IDR", "RMB", "SGD", "S$"}

// unit suffixes split after a digit
var unitsBase = []string{"km", "km²", "km³", "m", "m²", "m³", "dm", "dm²", "dm³", "cm", "cm²", "cm³", "mm", "mm²", "mm³", "ha", "µm", "nm", "yd", "in", "ft", "kg", "g", "mg", "µg", "t", "lb", "oz", "m/s", "km/h", "kmh", "mph", "hPa", "Pa", "mbar", "mb", "MB", "kb", "KB", "gb", "GB", "tb", "TB", "T", "G", "M", "K", "%", "км", "км²", "км³", "м", "м²", "м³", "дм", "дм²", "дм³", "см", "см²", "см³", "мм", "мм²", "мм³", "нм", "кг", "г", "мг", "м/с", "км/ч", "кПа", "Па", "мбар", "Кб", "КБ", "кб", "Мб", "МБ", "мб", "Гб", "ГБ", "гб", "Тб", "ТБ", "тбكم", "كم²", "كم³", "م", "م²", "م³", "سم", "سم²", "سم³", "مم", "مم²", "مم³", "كم", "غرام", "جرام", "جم", "كغ", "ملغ", "كوب", "اكواب"}

// Indonesian unit suffixes split after a digit
var unitsID = []string{"km", "km²", "km³", "m", "m²", "m³", "dm", "dm²", "dm³", "cm", "cm²", "cm³", "mm", "mm²", "mm³", "ha", "µm", "nm", "yd", "in", "ft", "kg", "g", "mg", "µg", "t", "lb", "oz", "m/s", "km/h", "kmh", "mph", "hPa", "Pa", "mbar", "mb", "MB", "kb", "KB", "gb", "GB", "tb", "TB", "T", "G", "M", "K", "%", "км", "км²", "км³", "м", "м²", "м³", "дм", "дм²", "дм³", "см", "см²", "см³", "мм", "мм²", "мм³", "нм", "кг", "г", "мг", "м/с", "км/ч", "кПа", "Па", "мбар", "Кб", "КБ", "кб", "Мб", "МБ", "мб", "Гб", "ГБ", "гб", "Тб", "ТБ", "тбكم", "كم²", "كم³", "م", "م²", "م³", "سم", "سم²", "سم³", "مم", "مم²", "مم³", "كم", "غرام", "جرام", "جم", "كغ", "ملغ", "كوب", "اكوابs", "bit", "Gbps", "Mbps", "mbps", "Kbps", "kbps", "ƒ", "ppi", "px", "Hz", "kHz", "MHz", "GHz", "mAh", "ratus", "rb", "ribu", "ribuan", "juta", "jt", "jutaan", "milliar", "miliar", "million", "billiun", "biliun", "bilyun", "billion"}

// Malay unit suffixes split after a digit
var unitsMS = []string{"km", "km²", "km³", "m", "m²", "m³", "dm", "dm²", "dm³", "cm", "cm²", "cm³", "mm", "mm²", "mm³", "ha", "µm", "nm", "yd", "in", "ft", "kg", "g", "mg", "µg", "t", "lb", "oz", "m/s", "km/h", "kmh", "mph", "hPa", "Pa", "mbar", "mb", "MB", "kb", "KB", "gb", "GB", "tb", "TB", "T", "G", "M", "K", "%", "км", "км²", "км³", "м", "м²", "м³", "дм", "дм²", "дм³", "см", "см²", "см³", "мм", "мм²", "мм³", "нм", "кг", "г", "мг", "м/с", "км/ч", "кПа", "Па", "мбар", "Кб", "КБ", "кб", "Мб", "МБ", "мб", "Гб", "ГБ", "гб", "Тб", "ТБ", "тбكم", "كم²", "كم³", "م", "م²", "م³", "سم", "سم²", "سم³", "مم", "مم²", "مم³", "كم", "غرام", "جرام", "جم", "كغ", "ملغ", "كوب", "اكوابs", "bit", "Gbps", "Mbps", "mbps", "Kbps", "kbps", "ƒ", "ppi", "px", "Hz", "kHz", "MHz", "GHz", "mAh", "ratus", "rb", "ribu", "ribuan", "juta", "jt", "jutaan", "milliar", "miliar", "million", "billiun", "biliun", "bilyun", "billion"}

// multi-character prefixes, in rule order
var prefixMultiBase = []string{"……", "US$", "C$", "A$"}

// Indonesian multi-character prefixes, in rule order
var prefixMultiID = []string{"……", "US$", "C$", "A$", "US$", "C$", "A$", "USD", "Rp", "IDR", "RMB", "SGD", "S$"}

// Malay multi-character prefixes, in rule order
var prefixMultiMS = []string{"……", "US$", "C$", "A$", "US$", "C$", "A$", "USD", "RM", "MYR", "Rp", "IDR", "RMB", "SGD", "S$"}

// HTML closing tags split after a letter or digit (Indonesian, Malay)
var htmlSuffixes = []string{"</b>", "</strong>", "</i>", "</em>", "</p>", "</span>", "</div>", "</a>"}
