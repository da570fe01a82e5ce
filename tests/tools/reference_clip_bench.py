#!/usr/bin/env python3
"""Images/s and texts/s of the reference Python CLIP's architecture, for side-by-side ratios
with `aape bench encode` (docs/performance.md, "Encoding precision").

The model is openai/CLIP's clip/model.py as written there (nn.MultiheadAttention residual blocks,
LayerNorm computed in float32, QuickGELU, texts padded to the 77-token context as clip.tokenize
does), randomly initialised at a preset's geometry: the speed does not depend on the weights.
Runs in float32 unless --bf16-autocast (torch.autocast("cpu", torch.bfloat16)), the usual way
to ask PyTorch for bfloat16 on a CPU.

    OMP_WAIT_POLICY=passive python3 tests/tools/reference_clip_bench.py --arch ViT-B/16 --threads 2
"""
import argparse
import json
import time
from collections import OrderedDict

import torch
from torch import nn

PRESETS = {
    # width, layers, patch, image size; text width, layers; embed dim
    "ViT-B/32": (768, 12, 32, 224, 512, 12, 512),
    "ViT-B/16": (768, 12, 16, 224, 512, 12, 512),
    "ViT-L/14": (1024, 24, 14, 224, 768, 12, 768),
}


class LayerNorm(nn.LayerNorm):
    def forward(self, x):
        orig_type = x.dtype
        return super().forward(x.type(torch.float32)).type(orig_type)


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model, n_head, attn_mask=None):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_head)
        self.ln_1 = LayerNorm(d_model)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(d_model, d_model * 4)),
            ("gelu", QuickGELU()),
            ("c_proj", nn.Linear(d_model * 4, d_model)),
        ]))
        self.ln_2 = LayerNorm(d_model)
        self.attn_mask = attn_mask

    def attention(self, x):
        mask = self.attn_mask.to(dtype=x.dtype, device=x.device) if self.attn_mask is not None else None
        return self.attn(x, x, x, need_weights=False, attn_mask=mask)[0]

    def forward(self, x):
        x = x + self.attention(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width, layers, heads, attn_mask=None):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads, attn_mask) for _ in range(layers)])

    def forward(self, x):
        return self.resblocks(x)


class VisionTransformer(nn.Module):
    def __init__(self, input_resolution, patch_size, width, layers, heads, output_dim):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, kernel_size=patch_size, stride=patch_size, bias=False)
        scale = width ** -0.5
        self.class_embedding = nn.Parameter(scale * torch.randn(width))
        self.positional_embedding = nn.Parameter(scale * torch.randn((input_resolution // patch_size) ** 2 + 1, width))
        self.ln_pre = LayerNorm(width)
        self.transformer = Transformer(width, layers, heads)
        self.ln_post = LayerNorm(width)
        self.proj = nn.Parameter(scale * torch.randn(width, output_dim))

    def forward(self, x):
        x = self.conv1(x)
        x = x.reshape(x.shape[0], x.shape[1], -1).permute(0, 2, 1)
        x = torch.cat([self.class_embedding.to(x.dtype)
                       + torch.zeros(x.shape[0], 1, x.shape[-1], dtype=x.dtype, device=x.device), x], dim=1)
        x = x + self.positional_embedding.to(x.dtype)
        x = self.ln_pre(x)
        x = self.transformer(x.permute(1, 0, 2)).permute(1, 0, 2)
        return self.ln_post(x[:, 0, :]) @ self.proj


class TextTower(nn.Module):
    def __init__(self, width, layers, heads, output_dim, context=77, vocab=49408):
        super().__init__()
        mask = torch.empty(context, context).fill_(float("-inf")).triu_(1)
        self.transformer = Transformer(width, layers, heads, mask)
        self.token_embedding = nn.Embedding(vocab, width)
        self.positional_embedding = nn.Parameter(torch.randn(context, width) * 0.01)
        self.ln_final = LayerNorm(width)
        self.text_projection = nn.Parameter(torch.randn(width, output_dim) * width ** -0.5)

    def forward(self, text):
        x = self.token_embedding(text) + self.positional_embedding
        x = self.transformer(x.permute(1, 0, 2)).permute(1, 0, 2)
        x = self.ln_final(x)
        return x[torch.arange(x.shape[0]), text.argmax(dim=-1)] @ self.text_projection


def timed(fn, repeats):
    fn()  # warm-up
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    return (time.perf_counter() - start) / repeats


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", default="ViT-B/16", choices=sorted(PRESETS))
    parser.add_argument("--images", type=int, default=16, help="images per timed batch")
    parser.add_argument("--texts", type=int, default=256, help="texts per timed batch (padded to 77 tokens)")
    parser.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: default)")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--bf16-autocast", action="store_true")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    width, layers, patch, size, text_width, text_layers, dim = PRESETS[args.arch]
    vision = VisionTransformer(size, patch, width, layers, width // 64, dim).eval()
    text = TextTower(text_width, text_layers, text_width // 64, dim).eval()
    pixels = torch.randn(args.images, 3, size, size)
    tokens = torch.randint(1, 49405, (args.texts, 77))
    tokens[:, 0] = 49406
    tokens[:, 24] = 49407  # a typical description: ~23 tokens, then padding to the context

    def run(module, batch):
        with torch.inference_mode():
            if args.bf16_autocast:
                with torch.autocast("cpu", dtype=torch.bfloat16):
                    return module(batch)
            return module(batch)

    image_seconds = timed(lambda: run(vision, pixels), args.repeats)
    text_seconds = timed(lambda: run(text, tokens), args.repeats)
    print(json.dumps({
        "implementation": "openai/CLIP clip/model.py architecture in PyTorch " + torch.__version__,
        "arch": args.arch,
        "precision": "bf16-autocast" if args.bf16_autocast else "fp32",
        "threads": torch.get_num_threads(),
        "images_per_second": args.images / image_seconds,
        "texts_per_second_padded_to_context": args.texts / text_seconds,
    }, indent=2))


if __name__ == "__main__":
    main()
