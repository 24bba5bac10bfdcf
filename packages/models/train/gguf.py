"""Reads a GGUF file back: its metadata and its F16/F32 tensors, so a trained model can be trained further.

The tools stage starts from the model before tools as the GGUF holds it (matrices rounded to F16), which is
how the committed model is kept; only the two tensor types the writer uses are read.
"""
import struct

import numpy as np

_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9
_TENSOR_TYPES = {0: np.float32, 1: np.float16}


class _Reader:
    def __init__(self, data):
        self.data, self.at = data, 0

    def scalar(self, fmt):
        (v,) = struct.unpack_from(fmt, self.data, self.at)
        self.at += struct.calcsize(fmt)
        return v

    def string(self):
        n = self.scalar("<Q")
        s = self.data[self.at:self.at + n].decode("utf-8")
        self.at += n
        return s

    def value(self, kind):
        if kind == _STRING:
            return self.string()
        if kind == _ARRAY:
            item, n = self.scalar("<I"), self.scalar("<Q")
            return [self.value(item) for _ in range(n)]
        return self.scalar(_SCALARS[kind])


def read_gguf(path):
    """(metadata dict, {name: float32 numpy array in row-major shape})."""
    with open(path, "rb") as f:
        data = f.read()
    r = _Reader(data)
    assert data[:4] == b"GGUF", f"{path} is not a GGUF file"
    r.at = 4
    version, n_tensors, n_kv = r.scalar("<I"), r.scalar("<Q"), r.scalar("<Q")
    assert version == 3, f"{path}: GGUF version {version}, expected 3"
    meta = {}
    for _ in range(n_kv):
        key = r.string()
        meta[key] = r.value(r.scalar("<I"))
    infos = []
    for _ in range(n_tensors):
        name = r.string()
        dims = [r.scalar("<Q") for _ in range(r.scalar("<I"))]
        kind, offset = r.scalar("<I"), r.scalar("<Q")
        assert kind in _TENSOR_TYPES, f"{path}: tensor {name} has type {kind}; only F32 and F16 are read"
        infos.append((name, dims, kind, offset))
    align = meta.get("general.alignment", 32)
    base = (r.at + align - 1) // align * align
    tensors = {}
    for name, dims, kind, offset in infos:
        count = int(np.prod(dims))
        values = np.frombuffer(data, dtype=_TENSOR_TYPES[kind], count=count, offset=base + offset)
        tensors[name] = values.astype(np.float32).reshape(list(reversed(dims)))
    return meta, tensors
