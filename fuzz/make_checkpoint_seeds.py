#!/usr/bin/env python3
"""Writes small torch.save-shaped seeds for the checkpoint fuzzers, without torch:
the same zip layout (archive/data.pkl, archive/data/N, archive/version) and the
same pickle (protocol 2, persistent ids for storages, _rebuild_tensor_v2).
Usage: make_checkpoint_seeds.py OUT_DIR_FOR_ZIPS OUT_DIR_FOR_PICKLES"""
import collections
import io
import os
import pickle
import struct
import sys
import types
import zipfile

# Stand-ins for the torch names the pickle refers to, registered so that
# pickle writes them as the globals torch.save writes.
torch = types.ModuleType("torch")
utils = types.ModuleType("torch._utils")
torch._utils = utils
sys.modules["torch"], sys.modules["torch._utils"] = torch, utils


def _rebuild_tensor_v2(*args):
    raise RuntimeError("never called")


def _rebuild_parameter(*args):
    raise RuntimeError("never called")


_rebuild_tensor_v2.__module__ = "torch._utils"
_rebuild_parameter.__module__ = "torch._utils"
utils._rebuild_tensor_v2, utils._rebuild_parameter = _rebuild_tensor_v2, _rebuild_parameter


class FloatStorage:
    pass


class LongStorage:
    pass


FloatStorage.__module__ = LongStorage.__module__ = "torch"
torch.FloatStorage, torch.LongStorage = FloatStorage, LongStorage


class Storage:
    def __init__(self, key, kind, values):
        self.key, self.kind, self.values = key, kind, values


class Tensor:
    def __init__(self, storage, offset, size, stride, parameter=False):
        self.storage, self.offset, self.size, self.stride, self.parameter = storage, offset, size, stride, parameter

    def __reduce__(self):
        rebuilt = (_rebuild_tensor_v2, (self.storage, self.offset, self.size, self.stride, False,
                                        collections.OrderedDict()))
        if not self.parameter:
            return rebuilt
        return (_rebuild_parameter, (_Rebuilt(rebuilt), True, collections.OrderedDict()))


class _Rebuilt:
    def __init__(self, reduced):
        self.reduced = reduced

    def __reduce__(self):
        return self.reduced


class Pickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", obj.kind, obj.key, "cpu", len(obj.values))
        return None


def save(obj, storages):
    data = io.BytesIO()
    Pickler(data, protocol=2).dump(obj)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", data.getvalue())
        for s in storages:
            fmt = "<%d%s" % (len(s.values), "f" if s.kind is FloatStorage else "q")
            z.writestr("archive/data/" + s.key, struct.pack(fmt, *s.values))
        z.writestr("archive/version", "3\n")
    return data.getvalue(), out.getvalue()


def main():
    zips, pickles = sys.argv[1], sys.argv[2]
    os.makedirs(zips, exist_ok=True)
    os.makedirs(pickles, exist_ok=True)
    w = Storage("0", FloatStorage, [0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    n = Storage("1", LongStorage, [7])
    cases = {
        "plain_dict": ({"conv.weight": Tensor(w, 0, (2, 3), (3, 1)), "bn.num_batches_tracked": Tensor(n, 0, (), ())},
                       [w, n]),
        "ordered_in_model": ({"model": collections.OrderedDict(
            [("fc.weight", Tensor(w, 2, (2, 2), (1, 2))), ("fc.bias", Tensor(w, 0, (2,), (1,), True))]),
            "epoch": 3, "lr": 0.001, "name": "mn", "big": 2 ** 40, "neg": -5}, [w]),
    }
    for name, (obj, storages) in cases.items():
        pkl, zipped = save(obj, storages)
        open(os.path.join(zips, name + ".pt"), "wb").write(zipped)
        open(os.path.join(pickles, name + ".pkl"), "wb").write(pkl)


if __name__ == "__main__":
    main()
