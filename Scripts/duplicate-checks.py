#!/usr/bin/env python3
"""How well `duplicate_of` and `cluster` find perturbed reposts, where the answer is known.

  Scripts/duplicate-checks.py [--bin .build/release/rolelens] [--against OTHER_BINARY]
                              [--data ../shared/data/postings] [--copies 4] [--seed S]

The real postings in --data are reposted --copies times each by ../tools/make_corpus.py
(paragraphs and bullets reordered, synonyms, numbers and the company changed; its seedmap.csv
says which posting each copy came from), and `rolelens analyze` runs on the originals and the
reposts together. Every file then has a known source posting, and:

  cluster recall     share of pairs of files from one source posting that share a cluster
                     (the resampling unit of every interval: a missed pair makes one posting
                     count twice);
  cluster merges     share of pairs of files from different source postings that share a
                     cluster (over-merging: the bootstrap then has fewer, larger units);
  duplicate recall   share of reposts whose duplicate_of is a file of their own source;
  wrong duplicates   reposts and originals whose duplicate_of is a file of another source.

Different source postings may really be near-copies (one employer's boilerplate), so the
merge rate is not an error rate; it is the figure to compare between builds. With --against,
the same corpus goes through a second binary and the two are compared posting by posting.
"""
import argparse
import collections
import csv
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def run(binary, corpus, out):
    subprocess.run([binary, "analyze", corpus, "--out", out, "--quiet", "--bootstrap", "0",
                    "--permutations", "0"], check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "postings.csv"), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def source_of(rows, seedmap, corpus):
    """Each posting id's source posting: a seed's own name, or the seed a copy came from."""
    sources = {}
    for row in rows:
        relative = os.path.relpath(row["path"], corpus) if os.path.isabs(row["path"]) else row["path"]
        name = relative.split(os.sep, 1)[1] if os.sep in relative else relative
        top = relative.split(os.sep, 1)[0]
        sources[row["id"]] = seedmap.get(name, name) if top == "reposts" else name
    return sources


def pair_counts(groups, sources):
    """Pairs within groups, split into same-source and different-source pairs."""
    same = different = 0
    for members in groups.values():
        by_source = collections.Counter(sources[m] for m in members)
        total = len(members) * (len(members) - 1) // 2
        within = sum(c * (c - 1) // 2 for c in by_source.values())
        same += within
        different += total - within
    return same, different


def measure(rows, sources):
    clusters = collections.defaultdict(list)
    by_source = collections.defaultdict(list)
    for row in rows:
        clusters[row["cluster"]].append(row["id"])
        by_source[sources[row["id"]]].append(row["id"])
    same, different = pair_counts(clusters, sources)
    possible_same = sum(len(m) * (len(m) - 1) // 2 for m in by_source.values())
    n = len(rows)
    possible_different = n * (n - 1) // 2 - possible_same
    reposts = [r for r in rows if "reposts" in r["path"].split(os.sep)]
    found = sum(1 for r in reposts if r["duplicate_of"] and sources.get(r["duplicate_of"]) == sources[r["id"]])
    wrong = sum(1 for r in rows if r["duplicate_of"] and sources.get(r["duplicate_of"]) != sources[r["id"]])
    return {
        "postings": n,
        "clusters": len(clusters),
        "cluster recall": same / max(possible_same, 1),
        "cluster merges": different / max(possible_different, 1),
        "duplicate recall": found / max(len(reposts), 1),
        "wrong duplicates": wrong,
        "duplicates": sum(1 for r in rows if r["duplicate_of"]),
    }


def describe(name, figures):
    return ("%s: %d postings, %d clusters; cluster recall %.4f, cluster merges %.6f; duplicate recall %.4f,"
            " %d duplicates, %d wrong" % (name, figures["postings"], figures["clusters"], figures["cluster recall"],
                                          figures["cluster merges"], figures["duplicate recall"],
                                          figures["duplicates"], figures["wrong duplicates"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.path.join(HERE, "..", ".build", "release", "rolelens"))
    parser.add_argument("--against")
    parser.add_argument("--data", default=os.path.join(HERE, "..", "..", "shared", "data", "postings"))
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--seed", type=int, help="make_corpus.py's seed (its default when not given)")
    args = parser.parse_args()
    if not os.path.isdir(args.data):
        print("no data at %s: nothing checked" % args.data)
        return 0
    with tempfile.TemporaryDirectory() as work:
        corpus = os.path.join(work, "corpus")
        os.makedirs(corpus)
        os.symlink(os.path.abspath(args.data), os.path.join(corpus, "originals"))
        seeds = len([f for f in os.listdir(args.data) if f.endswith((".txt", ".html", ".htm"))])
        subprocess.run([sys.executable, os.path.join(args.data, "..", "..", "tools", "make_corpus.py"), args.data,
                        str(seeds * args.copies), os.path.join(corpus, "reposts"), "--shard", "0"]
                       + (["--seed", str(args.seed)] if args.seed is not None else []),
                       check=True, stdout=subprocess.DEVNULL)
        seedmap = {}
        with open(os.path.join(corpus, "reposts", "seedmap.csv"), newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                seedmap[row["file"]] = os.path.basename(row["seed_file"])
        for extra in ("seedmap.csv", "labels.csv"):
            os.replace(os.path.join(corpus, "reposts", extra), os.path.join(work, extra))
        results = {}
        for name, binary in [("this build", args.bin)] + ([("against", args.against)] if args.against else []):
            rows = run(binary, corpus, os.path.join(work, name.replace(" ", "-")))
            sources = source_of(rows, seedmap, corpus)
            results[name] = (rows, measure(rows, sources))
            print(describe(name, results[name][1]))
        if args.against:
            a, b = results["this build"][0], results["against"][0]
            same_cluster = sum(1 for x, y in zip(a, b) if x["cluster"] == y["cluster"])
            same_duplicate = sum(1 for x, y in zip(a, b) if x["duplicate_of"] == y["duplicate_of"])
            print("agreement: same cluster %d of %d (%.4f), same duplicate_of %d (%.4f)"
                  % (same_cluster, len(a), same_cluster / len(a), same_duplicate, same_duplicate / len(a)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
