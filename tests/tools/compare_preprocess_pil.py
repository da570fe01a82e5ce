#!/usr/bin/env python3
"""Compare `aape preprocess` with the PIL + numpy reference, by hand (not run by the tests).

The reference is what openai/CLIP and torchvision do with a PIL image:
    Image.open(f) -> ImageOps.exif_transpose -> convert('RGB')
    -> resize((new_w, new_h), BICUBIC) with short side = S, long = int(S * long / short)
    -> crop at int(round((h - S) / 2)), int(round((w - S) / 2)) -> / 255 -> (x - mean) / std
all in float32. Prints the mean and max absolute difference of the normalised tensors.

Usage (use the Debian python, which has python3-pil and python3-numpy):
    /usr/bin/python3 tests/tools/compare_preprocess_pil.py --aape build/app/aape \
        --model CHECKPOINT [--generate DIR] [IMAGE ...]
    /usr/bin/python3 tests/tools/compare_preprocess_pil.py --golden
--generate writes photo-like test images of several sizes (up- and downscaling) into DIR
and compares them too; --golden prints the resize checksums pinned in tst_preprocess.cpp.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image, ImageOps


def reference(path, size, mean, std):
    image = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
    w, h = image.size
    short, long = (w, h) if w <= h else (h, w)
    new_long = int(size * long / short)
    new_w, new_h = (size, new_long) if w <= h else (new_long, size)
    if (new_w, new_h) != (w, h):
        image = image.resize((new_w, new_h), Image.BICUBIC)
    top = int(round((new_h - size) / 2.0))
    left = int(round((new_w - size) / 2.0))
    view = np.asarray(image.crop((left, top, left + size, top + size)), dtype=np.uint8)
    tensor = view.astype(np.float32).transpose(2, 0, 1) / np.float32(255)
    mean = np.asarray(mean, dtype=np.float32)[:, None, None]
    std = np.asarray(std, dtype=np.float32)[:, None, None]
    return (tensor - mean) / std, (new_w, new_h), (left, top)


def photo_like(width, height, seed):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    r = 128 + 90 * np.sin(x / 37.0 + seed) * np.cos(y / 23.0)
    g = 255.0 * x / max(1, width - 1)
    disc = (x - 0.6 * width) ** 2 + (y - 0.4 * height) ** 2 < 0.09 * width * height
    b = np.where(disc, 220.0, 40.0)
    image = np.stack([r, g, b], -1) + rng.normal(0, 12, (height, width, 3))
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)


def generate(folder):
    os.makedirs(folder, exist_ok=True)
    paths = []
    for i, (w, h) in enumerate([(4000, 3000), (640, 480), (333, 517), (1023, 767), (100, 60),
                                 (50, 50), (225, 224), (3000, 4000), (31, 900)]):
        image = Image.fromarray(photo_like(w, h, i))
        path = os.path.join(folder, f"photo_{w}x{h}.png")
        image.save(path)
        paths.append(path)
        if w >= 600:
            path = os.path.join(folder, f"photo_{w}x{h}.jpg")
            image.save(path, quality=90)
            paths.append(path)
    return paths


def golden():
    """Checksums of Pillow resizes of the generated images used by tst_preprocess.cpp."""
    def gradient(w, h):
        x = np.arange(w)[None, :].repeat(h, 0).astype(np.float64)
        y = np.arange(h)[:, None].repeat(w, 1).astype(np.float64)
        fx = x / (w - 1) if w > 1 else 0 * x
        fy = y / (h - 1) if h > 1 else 0 * y
        return np.clip(np.rint(np.stack([255 * fx, 255 * fy, 127.5 * (fx + fy)], -1)), 0, 255).astype(np.uint8)

    def checker(w, h, cell):
        x = np.arange(w)[None, :]
        y = np.arange(h)[:, None]
        v = np.where(((x // cell + y // cell) % 2) == 1, 255, 0).astype(np.uint8)
        return np.stack([v, v, v], -1)

    def checksum(a):
        flat = a.reshape(-1).astype(np.uint64)
        return int((flat * (np.arange(flat.size) % 251 + 1).astype(np.uint64)).sum())

    for name, image, size in [("gradient", gradient(37, 23), (11, 7)), ("gradient", gradient(37, 23), (80, 50)),
                              ("gradient", gradient(37, 23), (37, 5)), ("checker", checker(29, 17, 3), (13, 9)),
                              ("checker", checker(29, 17, 3), (61, 40))]:
        out = np.asarray(Image.fromarray(image).resize(size, Image.BICUBIC))
        print(name, image.shape[1], image.shape[0], "->", size, checksum(out))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--aape", help="path of the aape executable")
    parser.add_argument("--model", help="CLIP checkpoint passed to aape preprocess")
    parser.add_argument("--generate", metavar="DIR", help="write photo-like test images into DIR and compare them")
    parser.add_argument("--golden", action="store_true", help="print the checksums pinned in tst_preprocess.cpp")
    parser.add_argument("images", nargs="*")
    args = parser.parse_args()
    if args.golden:
        golden()
        return 0
    if not args.aape or not args.model:
        parser.error("--aape and --model are required")
    images = list(args.images)
    if args.generate:
        images += generate(args.generate)
    if not images:
        parser.error("give images or --generate DIR")

    worst_mean = worst_max = 0.0
    with tempfile.TemporaryDirectory() as scratch:
        tensor_path = os.path.join(scratch, "t.f32")
        for path in images:
            run = subprocess.run([args.aape, "preprocess", "--model", args.model, "--image", path,
                                  "--tensor", tensor_path], capture_output=True, text=True)
            if run.returncode != 0:
                print(f"{path}: aape failed: {run.stderr.strip()}")
                continue
            info = json.loads(run.stdout.strip().splitlines()[-1])
            size = info["crop_box"]["width"]
            mean, std = info["mean"], info["std"]
            ours = np.fromfile(tensor_path, dtype="<f4").reshape(3, size, size)
            ref, resized, (left, top) = reference(path, size, mean, std)
            diff = np.abs(ours - ref)
            geometry_ok = (list(resized) == info["resized_size"]
                           and [left, top] == [info["crop_box"]["x"], info["crop_box"]["y"]])
            print(f"{os.path.basename(path)}: {info['input_size']} -> {info['resized_size']}, S={size}, "
                  f"mean abs diff {diff.mean():.6f}, max abs diff {diff.max():.6f}, "
                  f"geometry {'same' if geometry_ok else 'DIFFERENT'}")
            worst_mean = max(worst_mean, float(diff.mean()))
            worst_max = max(worst_max, float(diff.max()))
    print(f"worst: mean abs diff {worst_mean:.6f}, max abs diff {worst_max:.6f}")
    return 0 if worst_mean <= 0.01 and worst_max <= 0.1 else 1


if __name__ == "__main__":
    sys.exit(main())
