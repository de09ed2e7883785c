"""Writes the decode fuzzer's regression inputs: WAV files whose headers once
broke the decoder (65535 channels, a 2 GHz and a 1 Hz rate, a float format
with an absurd byte rate, a LIST chunk of 4 GB), each with a short synthetic
payload. Generated, never tracked.
    python3 fuzz/make_decode_regressions.py OUT_DIR
"""
import math
import struct
import sys
from pathlib import Path


def pcm_header(channels, rate, byte_rate, block_align, data_bytes):
    fmt = struct.pack("<HHIIHH", 1, channels, rate, byte_rate, block_align, 16)
    return (b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVEfmt " + struct.pack("<I", 16) + fmt +
            b"data" + struct.pack("<I", data_bytes))


def ramp(count):
    """A sawtooth of 16-bit samples from -1000 in steps of 37."""
    return struct.pack("<%dh" % count, *(-1000 + (37 * k) % 2000 for k in range(count)))


def floats(count):
    return struct.pack("<%df" % count, *(0.03 * math.sin(k / 5) for k in range(count)))


# Extensible float headers as a SoX/Lavf file had them, up to the data chunk's size field.
HUGE_FLOAT = bytes.fromhex(
    "52494646840a000057415645666d742028000000feff020080ba000000f4010008002000160020000300000003000000"
    "00001000800000aa00389b716661637404000000400100004c49535434000000494e464f49434d541100000050726f63"
    "657373656420627920536f580000495346540e0000004c61766635392e32372e3130300064617461")
HUGE_LIST = bytes.fromhex(
    "52494646840a000057415645666d742028000000feff0200803e00000001fb00080020001600200003000000030000"
    "0000001000800000aa00389b716661637404000000400100004c4953543400f9ff494e464f49434d54110000005072"
    "6f63657373656420627920536f58b00000000000000000004c61766635392e32372e3130300064617461")


def main(out_dir):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "regression_65535_channels.wav": pcm_header(65535, 8000, 0x3E7FC180, 0xFFFE, 2000) + ramp(1000),
        "regression_rate_2ghz.wav": pcm_header(1, 2_000_000_000, 4_000_000_000, 2, 2000) + ramp(1000),
        "regression_rate_1hz.wav": pcm_header(1, 1, 2, 2, 50) + ramp(25),
        # The data chunk says 2,560 bytes; the file ends before them.
        "regression_huge_float.wav": HUGE_FLOAT + struct.pack("<I", 0xA00) + floats(477),
        "regression_huge_list_chunk.wav": HUGE_LIST + struct.pack("<I", 0xA00) + floats(67),
    }
    for name, data in files.items():
        (out / name).write_bytes(data)


if __name__ == "__main__":
    main(sys.argv[1])
