#!/usr/bin/env python3
"""Classify images with an exported AAPE bundle (*.aape.safetensors), without AAPE Studio.

The CLIP embeddings come from `aape embed`, so this needs nothing but torch and safetensors:
    aape embed --model MODEL --image a.png --image b.png --text "a photo of a pink heart." > emb.json
    python3 predict_bundle.py BUNDLE emb.json
Every --text is an extra class scored from its name alone (template "a photo of a {}.").
Prints one JSON object per image, as `aape predict --json --top K` does with K = all classes.
"""
import json
import sys

import torch
from safetensors import safe_open
from safetensors.torch import load_file

b = load_file(sys.argv[1])                                                      # the tensors
with safe_open(sys.argv[1], "pt") as f: manifest = json.loads(f.metadata()["aape"])
emb = json.load(open(sys.argv[2]))
x = torch.tensor([i["embedding"] for i in emb["images"]])                       # [N, d], L2-normalised
t = torch.cat([b["class_embeddings"], torch.tensor([e["embedding"] for e in emb["texts"]]).reshape(-1, x.shape[1])])
h = torch.relu(x @ b["h.fc1.weight"].T + b["h.fc1.bias"]) @ b["h.fc2.weight"].T + b["h.fc2.bias"]  # AAPE h(x) [N, d]
d = x.shape[1]; A, B = b["g.weight"][:, :d], b["g.weight"][:, d:]                # g's weight = [A | B] on [t_c; h]
w = torch.relu((t @ A.T)[None] + (h @ B.T + b["g.bias"])[:, None])             # w_c(x) [N, C, d]
probs = (b["logit_scale"] * torch.cosine_similarity(x[:, None], w, dim=-1)).softmax(-1)

kind = manifest.get("ood_score", {}).get("name", "max_softmax")                # see its "definition"
if kind == "prototype":                   # 1 - cosine to the nearest mean of a class's training images
    ood = 1 - (x @ b["ood.prototypes"].T).max(-1).values
elif kind == "mahalanobis":
    r = x[:, None] - b["ood.means"]
    ood = torch.einsum("npd,de,npe->np", r, b["ood.precision"], r).min(-1).values
else:
    ood = 1 - probs.max(-1).values

prefix, suffix = manifest["template"].split("{}")
names = manifest["class_names"] + [e["text"].removeprefix(prefix).removesuffix(suffix) for e in emb["texts"]]
for image, p, o in zip(emb["images"], probs, ood.tolist()):
    top = sorted(zip(names, p.tolist()), key=lambda pair: -pair[1])
    print(json.dumps({"path": image["path"], "top": [{"class": c, "prob": q} for c, q in top],
                      "ood_score": o, "ood_score_kind": kind}))
