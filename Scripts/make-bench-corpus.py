#!/usr/bin/env python3
"""Generate a benchmark corpus of N postings by varying the postings in Corpus/, deterministically.

Usage: make-bench-corpus.py N OUT_DIR [--seed S]

60% are full saved career pages of realistic size (30-300 KB: scripts, styles, navigation,
cookie banner, "similar jobs", footer), 40% small job-board pages with JSON-LD. Each posting's
bullets are drawn from the Corpus postings of the same role (a tenth from other roles), so
postings differ and few are near-duplicates. Same N and seed, same files.
"""
import csv, html, json, os, random, re, sys

def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    seed = int(sys.argv[sys.argv.index('--seed') + 1]) if '--seed' in sys.argv else 1
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'Corpus')
    labels = {r['file']: r['label'] for r in csv.DictReader(open(os.path.join(root, 'labels.csv'), encoding='utf-8'))}
    pages, bullets = [], {}
    for file, label in sorted(labels.items()):
        if not file.endswith('.html'):
            continue
        text = open(os.path.join(root, file), encoding='utf-8', errors='replace').read()
        items = re.findall(r'<li>(.*?)</li>', text, flags=re.S)
        items = [i for i in items if '<a ' not in i and len(i) > 40]
        bullets.setdefault(label, []).extend(items)
        pages.append((file, label, text))
    all_bullets = [b for items in bullets.values() for b in items]
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    cities = ['Austin', 'Leeds', 'Lyon', 'Brno', 'Porto', 'Tallinn', 'Denver', 'Osaka', 'Kraków', 'Cork', 'Perth', 'Quito']
    for i in range(n):
        r = random.Random(seed * 1_000_003 + i)
        file, label, text = pages[r.randrange(len(pages))]
        pool = bullets.get(label) or all_bullets
        def new_list(match):
            k = r.randint(4, 9)
            picks = [r.choice(pool) if r.random() > 0.1 else r.choice(all_bullets) for _ in range(k)]
            return '<ul>' + ''.join(f'<li>{p}</li>' for p in picks) + '</ul>'
        body = re.sub(r'<ul>(?:(?!</ul>).)*?<li>(?:(?!</ul>).)*?</ul>', new_list, text, flags=re.S)
        body = body.replace('</title>', f' ({r.choice(cities)} #{i})</title>', 1)
        full = r.random() < 0.6
        if full:
            target = r.randint(30_000, 300_000)
            filler = []
            size = len(body.encode('utf-8'))
            while size < target:
                chunk = make_script(r) if r.random() < 0.7 else make_nav(r)
                filler.append(chunk)
                size += len(chunk)
            body = body.replace('</head>', ''.join(c for c in filler if c.startswith('<script')) + '</head>', 1)
            body = body.replace('</body>', ''.join(c for c in filler if not c.startswith('<script')) + '</body>', 1)
        name = f'{i:06d}-{"page" if full else "board"}-{os.path.basename(file)}'
        sub = os.path.join(out, f'{i // 1000:03d}')
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, name), 'w', encoding='utf-8') as f:
            f.write(body)

WORDS = 'var function return window document this config value apply track event user session page load render state props item index'.split()

def make_script(r):
    parts = []
    for _ in range(r.randint(40, 120)):
        a, b, c = r.choice(WORDS), r.choice(WORDS), r.choice(WORDS)
        parts.append(f'function {a}_{r.randrange(9999)}({b},{c}){{if({b}&&{c}.{a}){{return {b}+"{c}"+{r.randrange(999)};}}return null;}}')
    return '<script>' + ''.join(parts) + '</script>\n'

def make_nav(r):
    links = ''.join(f'<li><a href="/jobs/{r.randrange(99999)}">{r.choice(["Senior", "Lead", "Staff", "Junior"])} {r.choice(["Data Engineer", "Designer", "Analyst", "Recruiter", "Scrum Master"])}</a></li>' for _ in range(r.randint(20, 60)))
    return f'<aside class="related-jobs"><h3>Similar jobs</h3><ul>{links}</ul></aside>\n'

main()
