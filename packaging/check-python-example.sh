#!/usr/bin/env bash
# Checks that docs/examples/predict_bundle.py, the Python example of docs/bundle-format.md,
# reproduces `aape predict --json`: writes the demo, trains a base-to-new run for 2 epochs,
# exports the bundle, and compares every class probability of three test images, including an
# extra class given by name, and their OOD scores to 1e-5.
#   packaging/check-python-example.sh PATH/TO/aape      (CTest test bundle_python_example)
# Exits 77 (CTest: skipped) when no python3 with torch is found (Debian: python3-torch). Without
# the safetensors package (Debian 12 has none) it uses packaging/python-shim, a minimal reader
# written from the safetensors specification.
set -euo pipefail
aape=${1:?usage: check-python-example.sh AAPE_BINARY}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ -x "$aape" ] || { echo "check-python-example: $aape is not an executable; build the aape target first" >&2; exit 1; }

python=
for candidate in ${PYTHON:-} python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import torch' 2>/dev/null; then
        python=$candidate
        break
    fi
done
if [ -z "$python" ]; then
    echo "check-python-example: skipped: no python3 with torch (apt-get install python3-torch)"
    exit 77
fi
if ! "$python" -c 'import safetensors.torch' 2>/dev/null; then
    echo "check-python-example: the safetensors package is missing; using packaging/python-shim"
    export PYTHONPATH=$root/packaging/python-shim${PYTHONPATH:+:$PYTHONPATH}
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$aape" demo "$work/demo" >/dev/null 2>"$work/log" || { cat "$work/log" >&2; exit 1; }
"$aape" train "$work/demo/demo.aapeproj" --base-to-new --epochs 2 --threads 2 >/dev/null 2>"$work/log" ||
    { cat "$work/log" >&2; exit 1; }
"$aape" export "$work/demo/demo.aapeproj" --run 1 --out "$work/demo.aape.safetensors" >/dev/null

images=("$work/demo/images/red square/000.png" "$work/demo/images/white cross/000.png"
        "$work/demo/images/yellow ring/000.png")
"$aape" embed --model "$work/demo/model" --image "${images[0]}" --image "${images[1]}" --image "${images[2]}" \
    --text "a photo of a pink heart." >"$work/embeddings.json" 2>"$work/log" || { cat "$work/log" >&2; exit 1; }
"$aape" predict --bundle "$work/demo.aape.safetensors" --model "$work/demo/model" --class "pink heart" \
    --json --top 100 "${images[@]}" >"$work/aape.jsonl" 2>"$work/log" || { cat "$work/log" >&2; exit 1; }
"$python" "$root/docs/examples/predict_bundle.py" "$work/demo.aape.safetensors" "$work/embeddings.json" \
    >"$work/python.jsonl"

"$python" - "$work/aape.jsonl" "$work/python.jsonl" <<'EOF'
import json
import sys

expected = [json.loads(line) for line in open(sys.argv[1])]
actual = [json.loads(line) for line in open(sys.argv[2])]
assert len(expected) == len(actual) == 3, f"expected 3 images from both, got {len(expected)} and {len(actual)}"
worst = 0.0
for e, a in zip(expected, actual):
    assert e["path"] == a["path"], f"image order differs: {e['path']} vs {a['path']}"
    pe = {t["class"]: t["prob"] for t in e["top"]}
    pa = {t["class"]: t["prob"] for t in a["top"]}
    # All 12 demo classes (a base-to-new bundle answers the new ones from their names) and the extra one.
    assert len(pe) == 13 and set(pe) == set(pa), f"classes differ: {sorted(pe)} vs {sorted(pa)}"
    for name in pe:
        worst = max(worst, abs(pe[name] - pa[name]))
    assert e["top"][0]["class"] == a["top"][0]["class"], f"top class differs for {e['path']}"
    assert e["ood_score_kind"] == a["ood_score_kind"], \
        f"OOD score kinds differ: {e['ood_score_kind']}, {a['ood_score_kind']}"
    worst = max(worst, abs(e["ood_score"] - a["ood_score"]))
assert worst < 1e-5, f"probabilities or OOD scores differ by up to {worst:.3g}"
print(f"check-python-example: predict_bundle.py reproduces aape predict on 3 images x {len(pe)} classes "
      f"and their OOD scores (largest difference {worst:.1e})")
EOF
