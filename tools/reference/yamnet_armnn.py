"""Arm NN (Debian's python3-pyarmnn, its TfLiteParser and CpuRef backend) as a
second, independent runtime for YAMNet.

Arm NN cannot execute yamnet.tflite itself (see `why`): its TfLiteParser
stops at operator 0, SHAPE, and the front end further needs RFFT2D,
COMPLEX_ABS and dynamic shapes. What it can run is YAMNet's network: this
script writes a TFLite file holding operators 74-103 of the original graph
(layer1 ... layer14, MEAN, FULLY_CONNECTED, LOGISTIC) for one patch
[1, 96, 64, 1], with the original operators, options and tensor shapes and
the weights as read by yamnet_tflite.py, and lets Arm NN run it.

  yamnet_armnn.py why TFLITE                       # what Arm NN says about the original file
  yamnet_armnn.py run TFLITE PATCHES.f32 OUT.json [--int8]
      PATCHES.f32: float32 log-mel patches, each 96 frames x 64 bands (frame-major,
      as TFLite's NHWC input). Writes the 521 sigmoid scores per patch. --int8 keeps
      the int8 weights (hybrid kernels) instead of dequantising them to float32.

The flatbuffer is written by the small builder below, from the FlatBuffers
format (children after parents, so every uoffset points forward; vtables
just before their tables; vectors aligned to 16).
"""
import json
import os
import struct
import sys
import tempfile

import numpy as np

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import yamnet_tflite  # noqa: E402


class Table:
    def __init__(self, fields):
        self.fields = fields  # {field id: (struct format, value) | node}


class Vec:
    def __init__(self, fmt, values):
        self.fmt, self.values = fmt, values


class TableVec:
    def __init__(self, tables):
        self.tables = tables


class Str:
    def __init__(self, text):
        self.data = text.encode()


class Builder:
    def __init__(self):
        self.buf = bytearray()

    def pad_to(self, align, extra=0):
        while (len(self.buf) + extra) % align:
            self.buf.append(0)

    def write(self, node):
        if isinstance(node, Vec):
            size = struct.calcsize("<" + node.fmt)
            self.pad_to(16, 4)
            pos = len(self.buf)
            self.buf += struct.pack("<I", len(node.values))
            self.buf += b"".join(struct.pack("<" + node.fmt, v) for v in node.values) if node.fmt != "B" else bytes(node.values)
            del size
            return pos
        if isinstance(node, Str):
            self.pad_to(4)
            pos = len(self.buf)
            self.buf += struct.pack("<I", len(node.data)) + node.data + b"\0"
            return pos
        if isinstance(node, TableVec):
            self.pad_to(4)
            pos = len(self.buf)
            self.buf += struct.pack("<I", len(node.tables)) + b"\0" * (4 * len(node.tables))
            for i, t in enumerate(node.tables):
                child = self.write(t)
                slot = pos + 4 + 4 * i
                struct.pack_into("<I", self.buf, slot, child - slot)
            return pos
        # A table: inline layout (4-byte soffset, then fields largest first), vtable before it.
        layout, offset = {}, 4
        items = sorted(node.fields.items(), key=lambda kv: -(4 if not isinstance(kv[1], tuple)
                                                             else struct.calcsize("<" + kv[1][0])))
        for fid, value in items:
            size = 4 if not isinstance(value, tuple) else struct.calcsize("<" + value[0])
            offset = (offset + size - 1) // size * size
            layout[fid] = offset
            offset += size
        table_size = (offset + 3) // 4 * 4
        count = max(node.fields) + 1 if node.fields else 0
        vtable = struct.pack("<HH", 4 + 2 * count, table_size) + b"".join(
            struct.pack("<H", layout.get(i, 0)) for i in range(count))
        self.pad_to(4, len(vtable))
        vt_pos = len(self.buf)
        self.buf += vtable
        pos = len(self.buf)
        self.buf += struct.pack("<i", pos - vt_pos) + b"\0" * (table_size - 4)
        for fid, value in node.fields.items():
            if isinstance(value, tuple):
                struct.pack_into("<" + value[0], self.buf, pos + layout[fid], value[1])
        for fid, value in node.fields.items():
            if not isinstance(value, tuple):
                child = self.write(value)
                struct.pack_into("<I", self.buf, pos + layout[fid], child - (pos + layout[fid]))
        return pos

    def finish(self, root):
        self.buf += b"\0" * 4 + b"TFL3"
        pos = self.write(root)
        struct.pack_into("<I", self.buf, 0, pos)
        return bytes(self.buf)


def options_table(op):
    """The original operator's options, re-read field by field (ids as in schema.fbs)."""
    o = op["options"]
    if o is None:
        return None
    kind = op["options_type"]
    if kind == 1:  # Conv2DOptions
        return Table({0: ("b", o.scalar(0, "b")), 1: ("i", o.scalar(1, "i")), 2: ("i", o.scalar(2, "i")),
                      3: ("b", o.scalar(3, "b")), 4: ("i", o.scalar(4, "i", 1)), 5: ("i", o.scalar(5, "i", 1))})
    if kind == 2:  # DepthwiseConv2DOptions
        return Table({0: ("b", o.scalar(0, "b")), 1: ("i", o.scalar(1, "i")), 2: ("i", o.scalar(2, "i")),
                      3: ("i", o.scalar(3, "i")), 4: ("b", o.scalar(4, "b")), 5: ("i", o.scalar(5, "i", 1)),
                      6: ("i", o.scalar(6, "i", 1))})
    if kind == 8:  # FullyConnectedOptions
        return Table({0: ("b", o.scalar(0, "b"))})
    if kind == 27:  # ReducerOptions
        return Table({0: ("B", o.scalar(0, "B"))})
    return None


def network_only(path, keep_int8=False):
    m = yamnet_tflite.TfliteModel(path)
    first = next(i for i, op in enumerate(m.operators) if op["op"] == "CONV_2D")
    ops = m.operators[first:]
    codes, tensors, buffers, remap = [], [], [Table({})], {}

    def tensor(index):
        if index in remap:
            return remap[index]
        t = m.tensors[index]
        fields = {0: Vec("i", [int(d) for d in t["shape"]]), 3: Str(t["name"][:60] or "t%d" % index)}
        data = m.buffers[t["buffer"]]
        ttype = t["type"]
        if len(data):
            if ttype == 9 and not keep_int8:
                raw, ttype = m.constant(index).astype("<f4").tobytes(), 0
            else:
                raw = data.tobytes()
            buffers.append(Table({0: Vec("B", list(raw))}))
            fields[2] = ("I", len(buffers) - 1)
            if ttype == 9:
                q = t["quant"]
                fields[4] = Table({2: Vec("f", [float(s) for s in q["scale"]]),
                                   3: Vec("q", [int(z) for z in q["zero_point"]]), 6: ("i", q["dim"])})
        else:
            fields[2] = ("I", 0)
        fields[1] = ("b", ttype)
        tensors.append(Table(fields))
        remap[index] = len(tensors) - 1
        return remap[index]

    operators = []
    for op in ops:
        code = yamnet_tflite.OPS_BY_NAME[op["op"]]
        if code not in codes:
            codes.append(code)
        fields = {0: ("I", codes.index(code)), 1: Vec("i", [tensor(i) for i in op["inputs"]]),
                  2: Vec("i", [tensor(i) for i in op["outputs"]])}
        opts = options_table(op)
        if opts is not None:
            fields[3] = ("B", op["options_type"])
            fields[4] = opts
        operators.append(Table(fields))
    graph = Table({0: TableVec(tensors), 1: Vec("i", [remap[ops[0]["inputs"][0]]]),
                   2: Vec("i", [remap[ops[-1]["outputs"][0]]]), 3: TableVec(operators), 4: Str("yamnet_network")})
    op_codes = TableVec([Table({0: ("b", c), 2: ("i", 1), 3: ("i", c)}) for c in codes])
    model = Table({0: ("I", 3), 1: op_codes, 2: TableVec([graph]), 3: Str("YAMNet network, one patch"),
                   4: TableVec(buffers)})
    return Builder().finish(model)


def parse(path_or_bytes):
    import pyarmnn as ann
    parser = ann.ITfLiteParser()
    if isinstance(path_or_bytes, bytes):
        with tempfile.NamedTemporaryFile(suffix=".tflite", delete=False) as f:
            f.write(path_or_bytes)
            path = f.name
    else:
        path = path_or_bytes
    try:
        return parser, parser.CreateNetworkFromBinaryFile(path)
    finally:
        if isinstance(path_or_bytes, bytes):
            os.unlink(path)


def run(path, patches_path, out_path, keep_int8):
    import pyarmnn as ann
    parser, network = parse(network_only(path, keep_int8))
    runtime = ann.IRuntime(ann.CreationOptions())
    optimized, _ = ann.Optimize(network, [ann.BackendId("CpuRef")], runtime.GetDeviceSpec(), ann.OptimizerOptions())
    net_id, _ = runtime.LoadNetwork(optimized)
    graph_id = 0
    in_name = parser.GetSubgraphInputTensorNames(graph_id)[0]
    out_name = parser.GetSubgraphOutputTensorNames(graph_id)[0]
    in_binding = parser.GetNetworkInputBindingInfo(graph_id, in_name)
    out_binding = parser.GetNetworkOutputBindingInfo(graph_id, out_name)
    patches = np.fromfile(patches_path, dtype="<f4").reshape(-1, 96, 64, 1)
    scores = []
    for p in patches:
        inputs = ann.make_input_tensors([in_binding], [p.reshape(1, 96, 64, 1).astype(np.float32)])
        outputs = ann.make_output_tensors([out_binding])
        runtime.EnqueueWorkload(net_id, inputs, outputs)
        scores.append(ann.workload_tensors_to_ndarray(outputs)[0].reshape(-1).tolist())
    with open(out_path, "w") as f:
        json.dump({"scores": scores}, f)


def main(argv):
    if argv[0] == "why":
        try:
            parse(argv[1])
            print("Arm NN parsed the file")
        except Exception as e:  # noqa: BLE001 - we report whatever Arm NN says
            print("Arm NN refuses the original file:", e)
        try:
            parse(network_only(argv[1], keep_int8=True))
            print("Arm NN parsed the network with its int8 (hybrid) weights")
        except Exception as e:  # noqa: BLE001
            print("Arm NN refuses the network with int8 (hybrid) weights:", e)
    elif argv[0] == "run":
        run(argv[1], argv[2], argv[3], "--int8" in argv)


if __name__ == "__main__":
    main(sys.argv[1:])
