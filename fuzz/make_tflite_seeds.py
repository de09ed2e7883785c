#!/usr/bin/env python3
"""Writes the tflite fuzzer's seeds (scripts/fuzz.sh: BUILD/seeds/tflite) with flatc from
tflite_seeds/tflite_subset.fbs: tiny hand-made models, no real weights.
  front_end_and_two_layers.tflite: a front end (MUL by a window, RFFT2D,
    COMPLEX_ABS, the mel FULLY_CONNECTED with int8 weights, LOG), layer1 as an
    int8 per-channel CONV_2D, layer2's depthwise, MEAN and LOGISTIC; the graph
    check fails on the operator count, after the parser has read everything.
  one_tensor.tflite: the smallest valid model (one float tensor, no operators).
Usage: make_tflite_seeds.py OUT_DIR"""
import json
import os
import struct
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
if len(sys.argv) != 2:
    sys.exit("usage: make_tflite_seeds.py OUT_DIR")
out_dir = sys.argv[1]


def front_end_and_two_layers():
    # BuiltinOperator codes: MUL 18, RFFT2D 131, COMPLEX_ABS 135, FULLY_CONNECTED 9, LOG 73,
    # CONV_2D 3, DEPTHWISE_CONV_2D 4, MEAN 40, LOGISTIC 14 (codes over 127 live in builtin_code).
    codes = [{"deprecated_builtin_code": 18}, {"deprecated_builtin_code": 127, "builtin_code": 131},
             {"deprecated_builtin_code": 127, "builtin_code": 135}, {"deprecated_builtin_code": 9},
             {"deprecated_builtin_code": 73}, {"deprecated_builtin_code": 3}, {"deprecated_builtin_code": 4},
             {"deprecated_builtin_code": 40}, {"deprecated_builtin_code": 14}]
    buffers, tensors = [{}], []

    def tensor(name, shape, typ=0, data=None, quant=None):  # type 0 float32, 2 int32, 9 int8
        t = {"name": name, "shape": shape, "type": typ}
        if data is not None:
            buffers.append({"data": list(data)})
            t["buffer"] = len(buffers) - 1
        if quant:
            t["quantization"] = quant
        tensors.append(t)
        return len(tensors) - 1

    def f32(values):
        return b"".join(struct.pack("<f", v) for v in values)

    wave = tensor("waveform", [15600])
    window = tensor("window", [4], data=f32([0, .5, 1, .5]))
    mel = tensor("mel", [2, 3], 9, data=bytes([1, 2, 3, 250, 251, 252]), quant={"scale": [0.5], "zero_point": [0]})
    mel_bias = tensor("mel_bias", [2], data=f32([0.001, 0.001]))
    patch = tensor("patch", [1, 96, 64, 1])
    w1 = tensor("layer1/weights", [2, 3, 3, 1], 9, data=bytes(range(18)),
                quant={"scale": [0.1, 0.2], "zero_point": [0, 1], "quantized_dimension": 0})
    b1 = tensor("layer1/bias", [2], data=f32([0.5, -0.5]))
    o1 = tensor("layer1/out", [1, 48, 32, 2])
    dw = tensor("layer2/depthwise/weights", [1, 3, 3, 2], 9, data=bytes(range(18)),
                quant={"scale": [0.1, 0.2], "zero_point": [0, 0], "quantized_dimension": 3})
    db = tensor("layer2/depthwise/bias", [2], data=f32([0, 0]))
    o2 = tensor("layer2/depthwise/out", [1, 48, 32, 2])
    axes = tensor("axes", [2], 2, data=struct.pack("<ii", 1, 2))
    relu = {"padding": 0, "fused_activation_function": 1}
    ops = [
        {"opcode_index": 0, "inputs": [wave, window], "outputs": [wave]},
        {"opcode_index": 1, "inputs": [wave], "outputs": [wave]},
        {"opcode_index": 2, "inputs": [wave], "outputs": [wave]},
        {"opcode_index": 3, "inputs": [wave, mel, mel_bias], "outputs": [wave],
         "builtin_options_type": "FullyConnectedOptions", "builtin_options": {}},
        {"opcode_index": 4, "inputs": [wave], "outputs": [patch]},
        {"opcode_index": 5, "inputs": [patch, w1, b1], "outputs": [o1], "builtin_options_type": "Conv2DOptions",
         "builtin_options": dict(relu, stride_w=2, stride_h=2)},
        {"opcode_index": 6, "inputs": [o1, dw, db], "outputs": [o2],
         "builtin_options_type": "DepthwiseConv2DOptions",
         "builtin_options": dict(relu, stride_w=1, stride_h=1, depth_multiplier=1)},
        {"opcode_index": 7, "inputs": [o2, axes], "outputs": [o2], "builtin_options_type": "ReducerOptions",
         "builtin_options": {"keep_dims": False}},
        {"opcode_index": 8, "inputs": [o2], "outputs": [o2]},
    ]
    return {"version": 3, "operator_codes": codes, "description": "soundlens fuzz seed", "buffers": buffers,
            "subgraphs": [{"tensors": tensors, "inputs": [wave], "outputs": [o2], "operators": ops,
                           "name": "main"}]}


def one_tensor():
    return {"version": 3, "buffers": [{}],
            "subgraphs": [{"tensors": [{"name": "x", "shape": [1], "type": 0}], "inputs": [0], "outputs": [0]}]}


os.makedirs(out_dir, exist_ok=True)
with tempfile.TemporaryDirectory() as tmp:
    inputs = []
    for name, model in (("front_end_and_two_layers", front_end_and_two_layers()), ("one_tensor", one_tensor())):
        path = os.path.join(tmp, name + ".json")
        with open(path, "w") as f:
            json.dump(model, f)
        inputs.append(path)
    subprocess.run(["flatc", "-b", "-o", out_dir, os.path.join(here, "tflite_seeds", "tflite_subset.fbs")] + inputs,
                   check=True)
