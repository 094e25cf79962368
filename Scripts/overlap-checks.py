#!/usr/bin/env python3
"""The five checks of the overlap statistics, on real postings, through the built binary.

  Scripts/overlap-checks.py [--bin .build/release/rolelens] [--data ../shared/data/postings]
                            [--splits 20] [--draws 10] [--only null,power,size,copies,shares]

Each check builds folders of real .txt postings whose first line (the title) is rewritten to
make pseudo-roles, runs `rolelens analyze` on them with the default options, and reads
overlap.csv and terms.csv:

  null    product-manager postings split at random, 20 retitled "Technical Project Manager"
          (the same role on both sides): overlap_index CI holds 1 and the AUC p >= 0.05 in
          >= 80% of splits; median count of terms with q < 0.05 <= 1.
  power   engineering-manager bodies retitled TPM vs product-manager postings, 20 each:
          AUC p < 0.05 and overlap_index CI below 1 in >= 80% of draws.
  size    project-manager postings subsampled to 10 and to 50 against all product managers:
          mean overlap_index over the draws differs by <= 0.10.
  copies  60 postings (30 project-manager bodies retitled TPM, 30 product managers), then the
          same as 6 perturbed reposts each (../tools/make_corpus.py): AUC rises by <= 0.05 and
          its interval keeps >= 60% of its width.
  shares  6 TPM postings vs all product managers: both share intervals have width.

It prints one line per run and a verdict per check, and exits 1 if a check fails.
"""
import argparse
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def load_labels(data):
    with open(os.path.join(data, "labels.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    by_label = {}
    for row in rows:
        if row["file"].endswith(".txt"):
            by_label.setdefault(row["label"], []).append(row["file"])
    for files in by_label.values():
        files.sort()
    return by_label


def write_posting(data, name, folder, title=None, prefix=""):
    with open(os.path.join(data, name), encoding="utf-8", errors="surrogateescape") as f:
        text = f.read()
    if title is not None:
        lines = text.split("\n", 1)
        text = title + "\n" + (lines[1] if len(lines) > 1 else "")
    with open(os.path.join(folder, prefix + name), "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(text)


def analyze(binary, folder, roles):
    out = folder + "-out"
    subprocess.run([binary, "analyze", folder, "--out", out, "--quiet", "--roles", roles],
                   check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "overlap.csv"), newline="", encoding="utf-8") as f:
        figures = {row["metric"]: row for row in csv.DictReader(f)}
    with open(os.path.join(out, "terms.csv"), newline="", encoding="utf-8") as f:
        terms = list(csv.DictReader(f))
    shutil.rmtree(out)
    return figures, terms


def num(row, key):
    value = row.get(key, "")
    return float(value) if value not in ("", None) else None


def describe(figures, terms):
    index, auc = figures["overlap_index"], figures["separability_auc"]
    significant = sum(1 for t in terms if float(t["q_value"]) < 0.05)
    return ("n %s/%s clusters %s/%s | index %.3f [%s, %s] p %s | AUC %.3f [%s, %s] p %s | q<.05 terms %d"
            % (index["n_a"], index["n_b"], index["clusters_a"], index["clusters_b"], num(index, "value"),
               index["ci_low"], index["ci_high"], index["p_value"], num(auc, "value"), auc["ci_low"],
               auc["ci_high"], auc["p_value"], significant))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.path.join(HERE, "..", ".build", "release", "rolelens"))
    parser.add_argument("--data", default=os.path.join(HERE, "..", "..", "shared", "data", "postings"))
    parser.add_argument("--splits", type=int, default=20)
    parser.add_argument("--draws", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", default="null,power,size,copies,shares")
    args = parser.parse_args()
    if not os.path.isdir(args.data):
        print("overlap-checks: %s not found (the real postings live in ../shared/data)" % args.data)
        return 2
    binary = os.path.abspath(args.bin)
    labels = load_labels(args.data)
    pm, em, pjm = labels["product-manager"], labels["engineering-manager"], labels["project-manager"]
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="rolelens-checks-")
    failed = []
    pair = "technical-project-manager,product-manager"
    checks = args.only.split(",")

    def folder(name):
        path = os.path.join(work, name)
        os.makedirs(path)
        return path

    try:
        if "null" in checks:
            covered = high_p = 0
            counts = []
            for split in range(args.splits):
                chosen = set(rng.sample(pm, 20))
                path = folder("null-%d" % split)
                for name in pm:
                    write_posting(args.data, name, path, "Technical Project Manager" if name in chosen else None)
                figures, terms = analyze(binary, path, pair)
                index, auc = figures["overlap_index"], figures["separability_auc"]
                covered += num(index, "ci_low") <= 1 <= num(index, "ci_high")
                high_p += num(auc, "p_value") >= 0.05
                counts.append(sum(1 for t in terms if float(t["q_value"]) < 0.05))
                print("null   %2d: %s" % (split, describe(figures, terms)))
            ok = covered >= 0.8 * args.splits and high_p >= 0.8 * args.splits and statistics.median(counts) <= 1
            print("null: overlap_index CI holds 1 in %d/%d, AUC p >= 0.05 in %d/%d, median q<0.05 terms %s -> %s"
                  % (covered, args.splits, high_p, args.splits, statistics.median(counts), "PASS" if ok else "FAIL"))
            failed += [] if ok else ["null"]

        if "power" in checks:
            hits = 0
            for draw in range(args.draws):
                path = folder("power-%d" % draw)
                for name in rng.sample(em, 20):
                    write_posting(args.data, name, path, "Technical Project Manager")
                for name in rng.sample(pm, 20):
                    write_posting(args.data, name, path)
                figures, terms = analyze(binary, path, pair)
                index, auc = figures["overlap_index"], figures["separability_auc"]
                hit = num(auc, "p_value") < 0.05 and num(index, "ci_high") < 1
                hits += hit
                print("power  %2d: %s" % (draw, describe(figures, terms)))
            ok = hits >= 0.8 * args.draws
            print("power: AUC p < 0.05 and overlap_index CI below 1 in %d/%d -> %s"
                  % (hits, args.draws, "PASS" if ok else "FAIL"))
            failed += [] if ok else ["power"]

        if "size" in checks:
            means = {}
            for size in (10, 50):
                values = []
                for draw in range(args.draws):
                    path = folder("size-%d-%d" % (size, draw))
                    for name in rng.sample(pjm, size):
                        write_posting(args.data, name, path)
                    for name in pm:
                        write_posting(args.data, name, path)
                    figures, terms = analyze(binary, path, "project-manager,product-manager")
                    values.append(num(figures["overlap_index"], "value"))
                    print("size %2d %2d: %s" % (size, draw, describe(figures, terms)))
                means[size] = statistics.mean(values)
            ok = abs(means[10] - means[50]) <= 0.10
            print("size: mean overlap_index %.3f at 10, %.3f at 50, difference %.3f -> %s"
                  % (means[10], means[50], abs(means[10] - means[50]), "PASS" if ok else "FAIL"))
            failed += [] if ok else ["size"]

        if "copies" in checks:
            seeds = folder("copies-seed")
            for name in rng.sample(pjm, 30):
                write_posting(args.data, name, seeds, "Technical Project Manager")
            for name in rng.sample(pm, 30):
                write_posting(args.data, name, seeds)
            once, once_terms = analyze(binary, seeds, pair)
            reposts = os.path.join(work, "copies-reposts")
            subprocess.run([sys.executable, os.path.join(args.data, "..", "..", "tools", "make_corpus.py"), seeds,
                            "360", reposts, "--shard", "0"], check=True, stdout=subprocess.DEVNULL)
            labels_file = os.path.join(reposts, "labels.csv")
            for extra in ("labels.csv", "seedmap.csv"):
                if os.path.exists(os.path.join(reposts, extra)):
                    os.remove(os.path.join(reposts, extra))
            six, six_terms = analyze(binary, reposts, pair)
            print("copies x1: %s" % describe(once, once_terms))
            print("copies x6: %s" % describe(six, six_terms))
            a1, a6 = once["separability_auc"], six["separability_auc"]
            width1 = num(a1, "ci_high") - num(a1, "ci_low")
            width6 = num(a6, "ci_high") - num(a6, "ci_low")
            rise = num(a6, "value") - num(a1, "value")
            kept = width6 / width1 if width1 > 0 else 1.0
            ok = rise <= 0.05 and kept >= 0.6
            print("copies: AUC %.3f -> %.3f (rise %.3f), interval width %.3f -> %.3f (kept %.0f%%) -> %s"
                  % (num(a1, "value"), num(a6, "value"), rise, width1, width6, 100 * kept, "PASS" if ok else "FAIL"))
            failed += [] if ok else ["copies"]
            del labels_file

        if "shares" in checks:
            path = folder("shares")
            for name in rng.sample(pjm, 6):
                write_posting(args.data, name, path, "Technical Project Manager")
            for name in pm:
                write_posting(args.data, name, path)
            figures, terms = analyze(binary, path, pair)
            rows = [figures["share_a_reads_as_b"], figures["share_b_reads_as_a"]]
            ok = all(num(r, "ci_high") - num(r, "ci_low") > 0 for r in rows)
            for r in rows:
                print("shares: %s %s [%s, %s] (%s)" % (r["metric"], r["value"], r["ci_low"], r["ci_high"], r["note"][:60]))
            print("shares: both intervals have width -> %s" % ("PASS" if ok else "FAIL"))
            failed += [] if ok else ["shares"]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("failed: " + (", ".join(failed) if failed else "none"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
