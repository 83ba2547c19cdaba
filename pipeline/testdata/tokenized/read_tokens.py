#!/usr/bin/env python3
"""Reads tokenized shards back with the standard library and numpy only,
written from the formats' own readers, independent of saring's Go code:

  megatron          PREFIX.idx / PREFIX.bin as Megatron-LM's
                    megatron/core/datasets/indexed_dataset.py (_IndexReader,
                    _MMapBinReader) reads them.
  datatrove_tokens  NAME.ds / NAME.ds.index / NAME.ds.metadata as datatrove's
                    DocumentTokenizerMerger and DatatroveFolderDataset read
                    them.

usage: read_tokens.py FORMAT DIR   (DIR holds the shards, e.g. OUT/kept)

Prints one JSON object: {"files": [{"name": ..., "dtype": ...,
"docs": [[id, ...], ...]}, ...]} with the files in name order.
"""
import json
import os
import struct
import sys

import numpy

# DType codes of indexed_dataset.py.
MEGATRON_DTYPES = {1: numpy.uint8, 2: numpy.int8, 3: numpy.int16, 4: numpy.int32,
                   5: numpy.int64, 6: numpy.float64, 7: numpy.float32, 8: numpy.uint16}


def read_megatron(prefix):
    idx_path, bin_path = prefix + ".idx", prefix + ".bin"
    with open(idx_path, "rb") as f:
        if f.read(9) != b"MMIDIDX\x00\x00":
            raise ValueError("bad header: " + idx_path)
        (version,) = struct.unpack("<Q", f.read(8))
        if version != 1:
            raise ValueError("bad version %d" % version)
        (code,) = struct.unpack("<B", f.read(1))
        dtype = MEGATRON_DTYPES[code]
        (seq_count,) = struct.unpack("<Q", f.read(8))
        (doc_count,) = struct.unpack("<Q", f.read(8))
        offset = f.tell()
    buf = numpy.memmap(idx_path, mode="r", order="C")
    lengths = numpy.frombuffer(buf, dtype=numpy.int32, count=seq_count, offset=offset)
    pointers = numpy.frombuffer(buf, dtype=numpy.int64, count=seq_count, offset=offset + lengths.nbytes)
    doc_idx = numpy.frombuffer(buf, dtype=numpy.int64, count=doc_count,
                               offset=offset + lengths.nbytes + pointers.nbytes)
    if offset + lengths.nbytes + pointers.nbytes + doc_idx.nbytes != os.path.getsize(idx_path):
        raise ValueError("index size does not match its counts: " + idx_path)
    size = os.path.getsize(bin_path)
    data = numpy.memmap(bin_path, mode="r", order="C") if size else numpy.zeros(0, numpy.uint8)
    itemsize = numpy.dtype(dtype).itemsize
    docs = []
    for d in range(1, len(doc_idx)):
        ids = []
        for s in range(int(doc_idx[d - 1]), int(doc_idx[d])):
            seq = numpy.frombuffer(data, dtype=dtype, count=int(lengths[s]), offset=int(pointers[s]))
            ids.extend(int(x) for x in seq)
        docs.append(ids)
    end = int(pointers[-1]) + int(lengths[-1]) * itemsize if seq_count else 0
    if end != size:
        raise ValueError("bin is %d bytes, the index ends at %d" % (size, end))
    return numpy.dtype(dtype).name, docs


def read_datatrove(path):
    with open(path + ".metadata") as f:
        lines = f.read().split("\n")
    name, token_size = lines[0].rsplit("|", 1)
    token_size = int(token_size)
    dtype = numpy.uint16 if token_size == 2 else numpy.uint32
    with open(path + ".index", "rb") as f:
        raw = f.read()
    ends = struct.unpack("<%dQ" % (len(raw) // 8), raw)
    with open(path, "rb") as f:
        tokens = numpy.frombuffer(f.read(), dtype=dtype)
    if (ends[-1] if ends else 0) != len(tokens):
        raise ValueError("%s: %d tokens, the index ends at %d" % (path, len(tokens), ends[-1] if ends else 0))
    if int(lines[1]) != len(tokens):
        raise ValueError("%s: metadata counts %s tokens, the file has %d" % (path, lines[1], len(tokens)))
    docs, start = [], 0
    for e in ends:
        docs.append([int(x) for x in tokens[start:e]])
        start = e
    return numpy.dtype(dtype).name, docs


def main():
    fmt, root = sys.argv[1], sys.argv[2]
    files = []
    for dirpath, dirnames, names in os.walk(root):
        dirnames.sort()
        for n in sorted(names):
            if n.startswith("."):
                continue
            p = os.path.join(dirpath, n)
            if fmt == "megatron" and n.endswith(".bin"):
                dtype, docs = read_megatron(p[: -len(".bin")])
            elif fmt == "datatrove_tokens" and n.endswith(".ds"):
                dtype, docs = read_datatrove(p)
            else:
                continue
            files.append({"name": os.path.relpath(p, root), "dtype": dtype, "docs": docs})
    json.dump({"files": files}, sys.stdout)


if __name__ == "__main__":
    main()
