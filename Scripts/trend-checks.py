#!/usr/bin/env python3
"""The two checks of the per-year overlap trend (`analyze --by year`), on perturbed copies of real
postings, through the built binary, at the tool's default --min-clusters.

  Scripts/trend-checks.py [--bin .build/release/rolelens] [--data ../shared/data/postings]
                          [--make-corpus ../shared/tools/make_corpus.py] [--copies-per-base 12]
                          [--copy-seed 1] [--seeds K] [--seed 1] [--only rising,constant]
                          [--years 6] [--first-year 2019] [--tpm-per-year 30] [--pm-per-year 30]
                          [--bootstrap 200] [--permutations 200] [--min-clusters N] [--jobs N]
                          [--keep DIR] [--build-only DIR]

Bases. The real .txt postings labelled product-manager (PM), project-manager and
engineering-manager in labels.csv (182 files) are first run through `rolelens analyze` as they
are (`--bootstrap 0 --permutations 0`; well under a second). A posting is a base only if the
tool gives it no `duplicate_of` and no earlier base is in its cluster (one base per cluster),
and, for PM bases, if the tool classifies it as product-manager under its own title. That
leaves 71 PM and 78 project/engineering-manager ("other") bases.

Copies. The pool is too small for a year of >= 20 clusters of each role without reuse, so every
row's body is a perturbed copy: --make-corpus (make_corpus.py, run once per invocation with
--seed --copy-seed) writes --copies-per-base copies of every base (default 12; at least
--years): paragraphs and bullets shuffled, synonyms swapped, company renamed, numbers changed.
A row takes the copy's first line as its title (PM rows) and the rest as its description.

Datasets. For each seed s, random.Random(s) builds one CSV (columns job_id, title, company,
date_posted, site, description) over --years years from --first-year (default 6 years,
2019..2024). Year k of n has --tpm-per-year rows (default 30) titled "Technical Project
Manager" or "Senior Technical Project Manager" (at random), each with a PM body with
probability p_k and otherwise an other body, plus --pm-per-year rows (default 30) with a PM
body under the copy's own title: 60 rows a year, 360 in all. Bodies are assigned so that
  - within a year every row has a different base (a year's rows are distinct clusters), and
  - across years a base may recur, but each use is a different copy (drawn at random, without
    replacement, from the base's copies).
A year's bases of each kind are the ones used least so far, then preferably not used in the
previous year, ties at random (this spreads the reuse: no base is used more than --years
times). The pool must hold
--tpm-per-year + --pm-per-year PM bases and --tpm-per-year other bases (the most a year can
need), else the script exits 2. date_posted is a random day of its year (ISO YYYY-MM-DD),
rows are in date order; company and site are one of a few names.

Each dataset is run as
  rolelens analyze DATA.csv --out OUT --by year --roles technical-project-manager,product-manager
           --bootstrap 200 --permutations 200 --seed s --quiet
with the tool's default --min-clusters (10), unless --min-clusters is given. The per-year
overlap_index values (rows group_by=year, group=YYYY), the clusters counted per year and role
(metric postings, column clusters_a) and the (all) trend_per_year row are read from
OUT/overlap_by_group.csv.

  rising    p_k rises linearly from 0.1 (first year) to 0.9 (last year). A seed passes when
            the Spearman rho of overlap_index against year, over the years that have a value
            (at least 3), is >= 0.8 and the trend_per_year interval lies above 0 (ci_low > 0).
            The check passes when >= 80% of --seeds seeds (default 5) pass.
  constant  p_k = 0.5 in every year. A seed passes when the trend_per_year interval holds 0
            (ci_low <= 0 <= ci_high). The check passes when >= 80% of --seeds seeds (default
            10) pass.

Audit. Every run also reads OUT/postings.csv: a TPM row must be classified
technical-project-manager and a PM row product-manager; a row with a `duplicate_of` (the tool's
MinHash similarity >= 0.8 to an earlier posting: two copies of one base can come that close) is
left out of the statistics by the tool and counted here. Such rows are reported per seed (a
WARNING), and the seed fails (design broken) if more than 5% of the rows of either kind are
misclassified or missing, or more than 10% are duplicates. After each check a line sums the
duplicates over its seeds. The years the tool flags insufficient (fewer than --min-clusters
clusters of a role) are listed; the trend is fitted on the others only.

It prints the setup (bases, copies, timings), one line per run (per-year overlap_index, rho,
trend and its interval, p, clusters per year, audit, seconds) and a verdict per check, and
exits 1 if a check fails (2 if the binary, make_corpus.py or the data is missing, or the pool
is too small for the design). --build-only DIR writes the datasets (and DIR/*.design.csv, the
base and copy of each row's body) and exits without running anything but the screening run;
--keep DIR keeps the datasets, the copies (DIR/copies) and the outputs in DIR.
"""
import argparse
import calendar
import collections
import csv
import datetime
import importlib.util
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PAIR = "technical-project-manager,product-manager"
TPM_TITLES = ["Technical Project Manager", "Senior Technical Project Manager"]
COMPANIES = ["Acme Labs", "Globex Systems", "Initech", "Umbrella Group", "Hooli", "Vandelay Industries"]
SITES = ["indeed", "linkedin", "glassdoor", "company-site"]
OTHER_LABELS = ("project-manager", "engineering-manager")
DEFAULT_SEEDS = {"rising": 5, "constant": 10}
KINDS = ("tpm", "pm")


def load_labels(data):
    """The .txt postings of labels.csv by label, as overlap-checks.py reads them (one reader)."""
    spec = importlib.util.spec_from_file_location("overlap_checks", os.path.join(HERE, "overlap-checks.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.load_labels(data)


def read_posting(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    title, _, body = text.partition("\n")
    return title.strip(), body.strip()


def screen(binary, data, labels, work):
    """The bases: (PM files, other files), each sorted, one per cluster, no duplicates."""
    folder = os.path.join(work, "pool")
    os.makedirs(folder)
    label_of = {}
    for label in ("product-manager",) + OTHER_LABELS:
        for name in labels.get(label, []):
            shutil.copy(os.path.join(data, name), os.path.join(folder, name))
            label_of[name] = label
    out = folder + "-out"
    subprocess.run([binary, "analyze", folder, "--out", out, "--quiet", "--bootstrap", "0", "--permutations", "0"],
                   check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "postings.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    shutil.rmtree(folder)
    shutil.rmtree(out)
    seen, pm, other = set(), [], []
    dropped = {"duplicate": 0, "cluster": 0, "role": 0}
    for row in rows:
        name = os.path.basename(row["path"])
        label = label_of.get(name)
        if label is None:
            continue
        if row["duplicate_of"]:
            dropped["duplicate"] += 1
        elif row["cluster"] in seen:
            dropped["cluster"] += 1
        elif label == "product-manager" and row["role"] != "product-manager":
            dropped["role"] += 1
            seen.add(row["cluster"])
        else:
            seen.add(row["cluster"])
            (pm if label == "product-manager" else other).append(name)
    return sorted(pm), sorted(other), dropped, len(label_of)


def make_copies(make_corpus, data, bases, per_base, copy_seed, folder):
    """Writes per_base perturbed copies of every base into folder; returns {base: [copy paths]}."""
    seed_dir = folder + "-bases"
    os.makedirs(seed_dir)
    for name in bases:
        shutil.copy(os.path.join(data, name), os.path.join(seed_dir, name))
    subprocess.run([sys.executable, make_corpus, seed_dir, str(per_base * len(bases)), folder, "--seed",
                    str(copy_seed), "--shard", "0", "--jobs", "1"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    shutil.rmtree(seed_dir)
    copies = {name: [] for name in bases}
    with open(os.path.join(folder, "seedmap.csv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            copies[row["seed_file"]].append(os.path.join(folder, row["file"]))
    assert all(len(paths) == per_base for paths in copies.values()), "make_corpus wrote an unexpected set of copies"
    return copies


def probabilities(check, years):
    if check == "constant":
        return [0.5] * years
    return [0.1 + 0.8 * k / (years - 1) for k in range(years)]


def pick_bases(pool, count, uses, previous, rng):
    """count distinct bases of pool: least used so far, then not used last year, ties at random."""
    keyed = sorted(pool, key=lambda name: (uses[name], name in previous, rng.random()))
    chosen = keyed[:count]
    for name in chosen:
        uses[name] += 1
    return chosen


def build(check, seed, args, pm_pool, other_pool, copies, path):
    """Writes the dataset of one check and seed to path (+ .design.csv); returns its design rows."""
    rng = random.Random(seed)
    ps = probabilities(check, args.years)
    uses = collections.Counter()
    unused = {base: rng.sample(paths, len(paths)) for base, paths in sorted(copies.items())}
    previous = set()
    rows = []
    for k, year in enumerate(range(args.first_year, args.first_year + args.years)):
        flags = [rng.random() < ps[k] for _ in range(args.tpm_per_year)]
        pm_bases = pick_bases(pm_pool, args.pm_per_year + sum(flags), uses, previous, rng)
        other_bases = pick_bases(other_pool, args.tpm_per_year - sum(flags), uses, previous, rng)
        previous = set(pm_bases) | set(other_bases)
        rng.shuffle(pm_bases)
        rng.shuffle(other_bases)
        kinds = [("tpm", flag) for flag in flags] + [("pm", True)] * args.pm_per_year
        days = 366 if calendar.isleap(year) else 365
        for kind, flag in kinds:
            base = pm_bases.pop() if flag else other_bases.pop()
            rows.append({"year": year, "kind": kind, "title": rng.choice(TPM_TITLES) if kind == "tpm" else None,
                         "base": base, "copy": unused[base].pop(),
                         "body_label": "product-manager" if flag else "other",
                         "date": (datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(days))).isoformat(),
                         "company": rng.choice(COMPANIES), "site": rng.choice(SITES)})
    rows.sort(key=lambda r: (r["date"], r["copy"]))
    for year in range(args.first_year, args.first_year + args.years):
        bases = [r["base"] for r in rows if r["year"] == year]
        assert len(bases) == len(set(bases)), "a base was used twice in %d" % year
    assert len(rows) == len(set(r["copy"] for r in rows)), "a copy was used twice"
    with open(path, "w", newline="", encoding="utf-8") as f, \
            open(path[:-4] + ".design.csv", "w", newline="", encoding="utf-8") as g:
        out, design = csv.writer(f), csv.writer(g)
        out.writerow(["job_id", "title", "company", "date_posted", "site", "description"])
        design.writerow(["row", "job_id", "year", "kind", "title", "body_label", "base_file", "copy_file"])
        for number, row in enumerate(rows, 1):
            title, body = read_posting(row["copy"])
            row["title"] = row["title"] or title
            row["row"] = number
            job_id = "%s-%d-%04d" % (check, seed, number)
            out.writerow([job_id, row["title"], row["company"], row["date"], row["site"], body])
            design.writerow([number, job_id, row["year"], row["kind"], row["title"], row["body_label"],
                             row["base"], os.path.basename(row["copy"])])
    return rows


def num(row, key):
    value = (row or {}).get(key, "")
    return float(value) if value not in ("", None) else None


def spearman(xs, ys):
    def ranks(values):
        order = sorted(range(len(values)), key=lambda i: values[i])
        result = [0.0] * len(values)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
                j += 1
            for m in range(i, j + 1):
                result[order[m]] = (i + j) / 2.0
            i = j + 1
        return result

    if len(xs) < 3:
        return None
    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    return sxy / (sxx * syy) ** 0.5 if sxx > 0 and syy > 0 else None


def analyze(binary, dataset, out, seed, args):
    command = [binary, "analyze", dataset, "--out", out, "--by", "year", "--roles", PAIR, "--quiet",
               "--bootstrap", str(args.bootstrap), "--permutations", str(args.permutations), "--seed", str(seed)]
    if args.min_clusters is not None:
        command += ["--min-clusters", str(args.min_clusters)]
    if args.jobs:
        command += ["--jobs", str(args.jobs)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with open(os.path.join(out, "overlap_by_group.csv"), newline="", encoding="utf-8") as f:
        groups = [row for row in csv.DictReader(f) if row["group_by"] == "year"]
    with open(os.path.join(out, "postings.csv"), newline="", encoding="utf-8") as f:
        postings = {}
        for row in csv.DictReader(f):
            number = row.get("row") or row["id"].rpartition("#")[2]
            if number.isdigit():
                postings[int(number)] = row
    return groups, postings


def audit(design, postings):
    """Counts, per kind of row, those missing, marked duplicate_of or classified as another role."""
    expected = {"tpm": "technical-project-manager", "pm": "product-manager"}
    counts = {kind: {"rows": 0, "missing": 0, "duplicate": 0, "role": 0} for kind in KINDS}
    for row in design:
        c = counts[row["kind"]]
        c["rows"] += 1
        posting = postings.get(row["row"])
        if posting is None:
            c["missing"] += 1
            continue
        c["duplicate"] += bool(posting["duplicate_of"])
        c["role"] += posting["role"] != expected[row["kind"]]
    bad = any(c["missing"] + c["role"] > 0.05 * c["rows"] or c["duplicate"] > 0.10 * c["rows"]
              for c in counts.values())

    def issues(c):
        found = ["%d %s" % (c[k], name) for k, name in (("duplicate", "duplicate_of"), ("role", "other role"),
                                                         ("missing", "missing")) if c[k]]
        return ", ".join(found) or "ok"

    text = ", ".join("%s %d rows %s" % (kind.upper(), c["rows"], issues(c)) for kind, c in counts.items())
    warn = any(c["missing"] + c["duplicate"] + c["role"] for c in counts.values())
    return text, warn, bad, counts


def span(values):
    if not values:
        return "-"
    return "%d" % min(values) if min(values) == max(values) else "%d-%d" % (min(values), max(values))


def run_seed(check, seed, args, binary, pools, copies, work):
    started = time.time()
    dataset = os.path.join(work, "%s-seed%d.csv" % (check, seed))
    design = build(check, seed, args, pools[0], pools[1], copies, dataset)
    out = dataset[:-4] + "-out"
    groups, postings = analyze(binary, dataset, out, seed, args)
    if not args.keep:
        shutil.rmtree(out)
    per_year = {}
    clusters = {"technical-project-manager": [], "product-manager": []}
    insufficient = []
    trend = None
    for row in groups:
        if row["group"] == "(all)":
            if row["metric"] == "trend_per_year":
                trend = row
            continue
        if not row["group"].isdigit():
            continue
        if row["metric"] == "postings" and row["role_a"] in clusters and num(row, "clusters_a") is not None:
            clusters[row["role_a"]].append(num(row, "clusters_a"))
        if row["metric"] == "overlap_index":
            value = num(row, "value")
            if value is not None:
                per_year[int(row["group"])] = value
            if row["note"].startswith("insufficient"):
                insufficient.append(row["group"])
    years = sorted(per_year)
    rho = spearman(years, [per_year[y] for y in years])
    slope, low, high, p = (num(trend, k) for k in ("value", "ci_low", "ci_high", "p_value"))
    audit_text, warn, bad, counts = audit(design, postings)
    if check == "rising":
        ok = rho is not None and rho >= 0.8 and low is not None and low > 0
    else:
        ok = low is not None and high is not None and low <= 0 <= high
    ok = ok and not bad
    fmt = lambda v, f="%.3f": "-" if v is None else f % v
    print("%-8s seed %2d: index %s | rho %s | trend %s [%s, %s] p %s | clusters/year TPM %s PM %s | %s%s%s%s"
          " | %.1f s -> %s"
          % (check, seed, " ".join("%d %.3f" % (y, per_year[y]) for y in years) or "none", fmt(rho, "%.2f"),
             fmt(slope, "%+.4f"), fmt(low, "%+.4f"), fmt(high, "%+.4f"), fmt(p),
             span(clusters["technical-project-manager"]), span(clusters["product-manager"]), audit_text,
             " | insufficient: " + ",".join(insufficient) if insufficient else "",
             "" if slope is not None else " | trend: %s" % ((trend or {}).get("note") or "no trend_per_year row"),
             " | WARNING: rows dropped or misclassified%s" % (", too many: design broken" if bad else "")
             if warn else "", time.time() - started, "pass" if ok else "miss"), flush=True)
    return ok, counts


def main():
    started = time.time()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.path.join(HERE, "..", ".build", "release", "rolelens"))
    parser.add_argument("--data", default=os.path.join(HERE, "..", "..", "shared", "data", "postings"))
    parser.add_argument("--make-corpus", default=os.path.join(HERE, "..", "..", "shared", "tools", "make_corpus.py"))
    parser.add_argument("--copies-per-base", type=int, default=12, help="perturbed copies per base (>= --years)")
    parser.add_argument("--copy-seed", type=int, default=1, help="make_corpus.py --seed (default 1)")
    parser.add_argument("--seeds", type=int, help="seeds per check (default: rising 5, constant 10)")
    parser.add_argument("--seed", type=int, default=1, help="first seed (default 1)")
    parser.add_argument("--only", default="rising,constant")
    parser.add_argument("--years", type=int, default=6)
    parser.add_argument("--first-year", type=int, default=2019)
    parser.add_argument("--tpm-per-year", type=int, default=30)
    parser.add_argument("--pm-per-year", type=int, default=30)
    parser.add_argument("--bootstrap", type=int, default=200)
    parser.add_argument("--permutations", type=int, default=200)
    parser.add_argument("--min-clusters", type=int, help="passed to the tool if given (default: the tool's, 10)")
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--keep", metavar="DIR", help="keep the datasets, copies and outputs in DIR")
    parser.add_argument("--build-only", metavar="DIR", help="write the datasets to DIR and exit")
    args = parser.parse_args()
    checks = [c for c in args.only.split(",") if c]
    unknown = [c for c in checks if c not in DEFAULT_SEEDS]
    if unknown:
        parser.error("unknown check(s): %s (known: rising, constant)" % ", ".join(unknown))
    if args.years < 3:
        parser.error("--years must be at least 3")
    if args.copies_per_base < args.years:
        parser.error("--copies-per-base must be at least --years (a base can recur in every year)")
    if not os.path.isdir(args.data):
        print("trend-checks: %s not found (the real postings live in ../shared/data)" % args.data)
        return 2
    if not os.path.isfile(args.make_corpus):
        print("trend-checks: %s not found (pass --make-corpus)" % args.make_corpus)
        return 2
    binary = os.path.abspath(args.bin)
    if not os.access(binary, os.X_OK):
        print("trend-checks: no rolelens binary at %s (build it with `swift build -c release`, or pass --bin)"
              % binary)
        return 2
    target = args.build_only or args.keep
    if target:
        os.makedirs(target, exist_ok=True)
        work = os.path.abspath(target)
        scratch = tempfile.mkdtemp(prefix="rolelens-trend-")
    else:
        work = scratch = tempfile.mkdtemp(prefix="rolelens-trend-")
    failed = []
    try:
        labels = load_labels(args.data)
        pm, other, dropped, total = screen(binary, args.data, labels, scratch)
        screened = time.time()
        print("bases: %d of %d postings: %d product-manager, %d project/engineering-manager (left out: %d "
              "duplicates, %d in an earlier base's cluster, %d PM not classified product-manager); screening %.1f s"
              % (len(pm) + len(other), total, len(pm), len(other), dropped["duplicate"], dropped["cluster"],
                 dropped["role"], screened - started))
        if args.pm_per_year + args.tpm_per_year > len(pm) or args.tpm_per_year > len(other):
            print("trend-checks: the pool is too small for the design: a year can need %d PM and %d other bases "
                  "(%d and %d available); lower --tpm-per-year or --pm-per-year"
                  % (args.pm_per_year + args.tpm_per_year, args.tpm_per_year, len(pm), len(other)))
            return 2
        copy_dir = os.path.join(work if args.keep or args.build_only else scratch, "copies")
        if os.path.isdir(copy_dir):
            shutil.rmtree(copy_dir)
        copies = make_copies(args.make_corpus, args.data, pm + other, args.copies_per_base, args.copy_seed,
                             copy_dir)
        print("copies: %d per base (make_corpus --seed %d), %.1f s; design: %d years from %d, %d TPM + %d PM rows "
              "a year (%d rows), p of a PM body in a TPM row: rising %s, constant 0.5"
              % (args.copies_per_base, args.copy_seed, time.time() - screened, args.years, args.first_year,
                 args.tpm_per_year, args.pm_per_year, args.years * (args.tpm_per_year + args.pm_per_year),
                 " ".join("%.2f" % p for p in probabilities("rising", args.years))), flush=True)
        for check in checks:
            seeds = range(args.seed, args.seed + (args.seeds or DEFAULT_SEEDS[check]))
            if args.build_only:
                for seed in seeds:
                    path = os.path.join(work, "%s-seed%d.csv" % (check, seed))
                    design = build(check, seed, args, pm, other, copies, path)
                    tpm = [r for r in design if r["kind"] == "tpm"]
                    uses = collections.Counter(r["base"] for r in design)
                    print("%-8s seed %2d: %s (%d rows: %d TPM, %d with a PM body; %d PM; %d bases, used up to %d "
                          "times)" % (check, seed, path, len(design), len(tpm),
                                      sum(r["body_label"] == "product-manager" for r in tpm), len(design) - len(tpm),
                                      len(uses), max(uses.values())))
                continue
            hits = 0
            totals = {kind: collections.Counter() for kind in KINDS}
            for seed in seeds:
                ok, counts = run_seed(check, seed, args, binary, (pm, other), copies, work)
                hits += ok
                for kind in KINDS:
                    totals[kind].update(counts[kind])
            print("%s duplicates over %d seeds: %s" % (check, len(seeds), ", ".join(
                "%s %d of %d rows (%.1f%%)" % (kind.upper(), totals[kind]["duplicate"], totals[kind]["rows"],
                                               100.0 * totals[kind]["duplicate"] / max(1, totals[kind]["rows"]))
                for kind in KINDS)))
            ok = hits >= 0.8 * len(seeds)
            if check == "rising":
                print("rising: rho >= 0.8 and trend interval above 0 in %d/%d seeds -> %s"
                      % (hits, len(seeds), "PASS" if ok else "FAIL"), flush=True)
            else:
                print("constant: trend interval holds 0 in %d/%d seeds -> %s"
                      % (hits, len(seeds), "PASS" if ok else "FAIL"), flush=True)
            failed += [] if ok else [check]
    except subprocess.CalledProcessError as error:
        detail = (error.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        print("trend-checks: `%s` exited with %d: %s" % (" ".join(error.cmd), error.returncode,
                                                         detail[0] if detail else "no message"))
        return 2
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if args.build_only:
        return 0
    print("failed: %s (%.0f s)" % (", ".join(failed) if failed else "none", time.time() - started))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
