"""A minimal stand-in for the `safetensors` package, used only by packaging/check-python-example.sh
on machines without it (Debian 12 packages torch but not safetensors). It reads the format as
its specification defines it: an 8-byte little-endian header length, a JSON header (tensor
dtype, shape and data offsets, plus an optional "__metadata__" string map), then the raw
little-endian tensor bytes. Only safe_open(...).metadata() and safetensors.torch.load_file."""
import json
import struct


def read_header(path):
    with open(path, "rb") as f:
        length = struct.unpack("<Q", f.read(8))[0]
        return json.loads(f.read(length)), 8 + length


class safe_open:
    def __init__(self, path, framework, device="cpu"):
        self._header, _ = read_header(path)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def metadata(self):
        return self._header.get("__metadata__")
