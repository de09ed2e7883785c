"""A small, independent reader of YAMNet's TFLite flatbuffer (numpy only).

Written from the FlatBuffers binary format (little-endian; a table starts with
an int32 offset back to its vtable; vtable = [vtable bytes, table bytes, field
offsets...]; vectors are a uint32 length followed by elements; offsets to
tables, strings and vectors are uint32 relative to where they are stored) and
the field order of tensorflow/lite/schema/schema.fbs (a union takes two field
ids: its type, then its value). Used by the reference and the tests to get the
dequantised weights without the C++ reader.

  python3 yamnet_tflite.py dump FILE.tflite   # operators and tensors
"""
import struct
import sys

import numpy as np

TENSOR_TYPES = {0: np.float32, 1: np.float16, 2: np.int32, 3: np.uint8, 4: np.int64, 9: np.int8}
OPS = {0: "ADD", 1: "AVERAGE_POOL_2D", 3: "CONV_2D", 4: "DEPTHWISE_CONV_2D", 6: "DEQUANTIZE",
       9: "FULLY_CONNECTED", 14: "LOGISTIC", 18: "MUL", 19: "RELU", 21: "RELU6", 22: "RESHAPE", 34: "PAD",
       40: "MEAN", 41: "SUB", 45: "STRIDED_SLICE", 53: "CAST", 55: "MAXIMUM", 65: "SLICE", 73: "LOG", 75: "SQRT",
       77: "SHAPE", 83: "PACK", 92: "SQUARE", 94: "FILL", 96: "RANGE", 42: "DIV", 90: "FLOOR_DIV", 36: "GATHER",
       2: "CONCATENATION", 39: "TRANSPOSE", 43: "SQUEEZE", 70: "EXPAND_DIMS", 101: "ABS", 126: "BATCH_MATMUL",
       130: "RFFT2D", 57: "MINIMUM", 81: "REDUCE_PROD", 74: "SUM", 64: "SELECT", 69: "TILE", 107: "GATHER_ND",
       88: "UNPACK", 104: "CEIL", 8: "FLOOR", 61: "GREATER", 58: "LESS", 95: "FLOOR_MOD", 47: "EXP", 59: "NEG"}


class Table:
    def __init__(self, buf, pos):
        self.buf, self.pos = buf, pos
        self.vt = pos - struct.unpack_from("<i", buf, pos)[0]
        self.vt_len = struct.unpack_from("<H", buf, self.vt)[0]

    def _field(self, fid):
        slot = 4 + 2 * fid
        if slot + 2 > self.vt_len:
            return None
        off = struct.unpack_from("<H", self.buf, self.vt + slot)[0]
        return self.pos + off if off else None

    def scalar(self, fid, fmt, default=0):
        p = self._field(fid)
        return default if p is None else struct.unpack_from("<" + fmt, self.buf, p)[0]

    def _indirect(self, p):
        return p + struct.unpack_from("<I", self.buf, p)[0]

    def table(self, fid):
        p = self._field(fid)
        return None if p is None else Table(self.buf, self._indirect(p))

    def vector(self, fid, dtype):
        p = self._field(fid)
        if p is None:
            return np.zeros(0, dtype)
        v = self._indirect(p)
        n = struct.unpack_from("<I", self.buf, v)[0]
        return np.frombuffer(self.buf, dtype=np.dtype(dtype).newbyteorder("<"), count=n, offset=v + 4)

    def tables(self, fid):
        p = self._field(fid)
        if p is None:
            return []
        v = self._indirect(p)
        n = struct.unpack_from("<I", self.buf, v)[0]
        return [Table(self.buf, self._indirect(v + 4 + 4 * i)) for i in range(n)]

    def string(self, fid):
        raw = self.vector(fid, np.uint8)
        return bytes(raw).decode("utf-8", "replace")


class TfliteModel:
    def __init__(self, path):
        with open(path, "rb") as f:
            self.buf = f.read()
        assert self.buf[4:8] == b"TFL3", "not a TFLite file"
        root = Table(self.buf, struct.unpack_from("<I", self.buf, 0)[0])
        self.version = root.scalar(0, "I")
        self.opcodes = []
        for oc in root.tables(1):
            deprecated = oc.scalar(0, "b")
            code = oc.scalar(3, "i")
            self.opcodes.append(max(deprecated, code))
        graph = root.tables(2)[0]
        self.buffers = [b.vector(0, np.uint8) for b in root.tables(4)]
        self.tensors = []
        for t in graph.tables(0):
            q = t.table(4)
            quant = None
            if q is not None:
                quant = {"scale": q.vector(2, np.float32), "zero_point": q.vector(3, np.int64),
                         "dim": q.scalar(6, "i")}
            self.tensors.append({"shape": list(t.vector(0, np.int32)), "type": t.scalar(1, "b"),
                                 "buffer": t.scalar(2, "I"), "name": t.string(3), "quant": quant,
                                 "signature": list(t.vector(7, np.int32))})
        self.inputs = list(graph.vector(1, np.int32))
        self.outputs = list(graph.vector(2, np.int32))
        self.operators = []
        for op in graph.tables(3):
            opts_type = op.scalar(3, "B")
            opts = op.table(4)
            self.operators.append({"op": OPS.get(self.opcodes[op.scalar(0, "I")], str(self.opcodes[op.scalar(0, "I")])),
                                   "inputs": list(op.vector(1, np.int32)), "outputs": list(op.vector(2, np.int32)),
                                   "options_type": opts_type, "options": opts})

    def constant(self, index, dequantise=True):
        """The tensor's data as a numpy array (int8 dequantised per channel when asked)."""
        t = self.tensors[index]
        raw = self.buffers[t["buffer"]]
        data = np.frombuffer(raw.tobytes(), dtype=np.dtype(TENSOR_TYPES[t["type"]]).newbyteorder("<"))
        data = data.reshape(t["shape"])
        if dequantise and t["type"] == 9:
            q = t["quant"]
            shape = [1] * data.ndim
            shape[q["dim"]] = -1
            scale = q["scale"].astype(np.float64).reshape(shape if q["scale"].size > 1 else [1] * data.ndim)
            zero = q["zero_point"].astype(np.float64).reshape(scale.shape) if q["zero_point"].size else 0.0
            return ((data.astype(np.float64) - zero) * scale).astype(np.float32)
        return data


def dump(path):
    m = TfliteModel(path)
    print("version", m.version, "inputs", m.inputs, "outputs", m.outputs, "buffers", len(m.buffers))
    for i, op in enumerate(m.operators):
        desc = []
        for t in op["inputs"]:
            if t < 0:
                desc.append("-")
                continue
            tt = m.tensors[t]
            has = len(m.buffers[tt["buffer"]]) > 0
            desc.append(f"{t}:{tt['type']}{tt['shape']}{'*' if has else ''}")
        outs = [f"{t}:{m.tensors[t]['shape']}{m.tensors[t]['signature']}" for t in op["outputs"]]
        print(i, op["op"], op["options_type"], " ".join(desc), "->", " ".join(outs),
              m.tensors[op["outputs"][0]]["name"][:60])


if __name__ == "__main__":
    if sys.argv[1] == "dump":
        dump(sys.argv[2])

OPS_BY_NAME = {name: code for code, name in OPS.items()}
