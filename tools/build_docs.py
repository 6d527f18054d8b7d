#!/usr/bin/env python
"""Build the docs site as static HTML without Quarto, and/or regenerate README.md from nbs/index.ipynb.

`nbdev_docs` (Quarto) is the real build, run by .github/workflows/deploy.yaml. This script renders the same site
from the same `_quarto.yml`, sidebar and processed notebooks (nbdev's processors: frontmatter, show_doc entries for
every exported function and class, hidden cells dropped, doc links) for machines with no Quarto and no network,
and checks it in a headless browser as a reader would see it.

    python tools/build_docs.py            # README.md and _site/ (open _site/index.html)
    python tools/build_docs.py --readme   # README.md only (no notebook is executed)
    python tools/build_docs.py --check    # build, then open every page in headless Chromium and check it

What a reader gets, as on the Quarto site: a sidebar of pages, a table of contents per page, full-text search (an
index shipped with the site, searched in the browser), math rendered at build time to MathML by the
`latex2mathml` package (no script, nothing fetched when a page is viewed), API entries with the source link
floated right, and heading anchors made the way Quarto (pandoc) makes them, so `core.html#timer` works.

Saved outputs are shown as they were saved, except that the builder makes them readable and free of this machine:
- absolute paths are normalised: the data folder (`$TEXTLAB_DATA_DIR`, or any `.../shared/data`) is printed as
  `$TEXTLAB_DATA_DIR`, the repository (this one, or the `/work/NAME` clone the notebooks ran in) as `~/textlab`,
  an installed package's folder as `site-packages/`, a home folder as `~`, a temporary one as `$TMPDIR/…`;
- tqdm's "IProgress not found" warning streams are dropped, and so are ANSI colour codes and `\\r` progress lines;
- consecutive stream outputs of one cell are merged into one box; very long output lines wrap;
- tables: numbers that are whole in a whole column print as integers (`1796160.0` -> `1,796,160`), `NaN` as an
  en dash, and wide tables, code and signatures scroll inside their own box instead of leaving the column.
Processed notebooks are cached in _proc/ (redone when a notebook changes); a notebook whose docs processing fails
is rendered from its saved outputs without API entries, and the failure is printed (and fails --check).

Math needs the `latex2mathml` package (`pip install latex2mathml`; the builder stops with that line without it).
--check needs Chromium (`apt-get install chromium`) and prints "skipped: chromium not installed" (exit 0) where there
is none. It takes about 30 seconds on a built site: one browser run opens every page, then screenshots of the home
page, a lab page and the Benchmarks page, and crops where a reader meets math, a figure and a scroll box, go to
/tmp/textlab-docs-check/ (not committed).
"""
import argparse, base64, copy, html, json, os, re, shutil, subprocess, sys, tempfile, time
from pathlib import Path
import nbformat, yaml

ROOT = Path(__file__).resolve().parent.parent
SHOTS = Path(tempfile.gettempdir())/'textlab-docs-check'

def _cfg():
    from nbdev.config import get_config
    return get_config(path=ROOT)

def _frontmatter(nb):
    "Title, description and the rest of the notebook (as nbdev's title cell `# T` + `> D` gives them)."
    cells = list(nb.cells)
    for i, c in enumerate(cells):
        if c.cell_type == 'raw' and c.source.startswith('---'):
            fm = yaml.safe_load(c.source.strip().strip('-')) or {}
            return fm, cells[:i] + cells[i+1:]
        if c.cell_type == 'markdown':
            m = re.match(r'#\s+(.+?)\n+(?:>\s*(.+?))?\s*(?:\n|$)', c.source + '\n')
            if m:
                rest = c.source[m.end():].strip()
                if rest: cells[i] = nbformat.v4.new_markdown_cell(rest)
                else: cells = cells[:i] + cells[i+1:]
                return {'title': m.group(1), 'description': m.group(2) or ''}, cells
    return {}, cells

def readme():
    "README.md from nbs/index.ipynb: hidden cells dropped, code shown with its saved outputs."
    from nbconvert import MarkdownExporter
    cfg = _cfg()
    nb = nbformat.read(cfg.nbs_path/cfg.readme_nb, as_version=4)
    fm, cells = _frontmatter(nb)
    from nbconvert.preprocessors import TagRemovePreprocessor
    keep = []
    for c in cells:
        if c.cell_type == 'code' and re.search(r'^#\|\s*hide\s*$', c.source, re.M): continue
        if c.cell_type == 'code':
            c = copy.deepcopy(c)
            if re.search(r'^#\|\s*echo:\s*false', c.source, re.M): c.metadata['tags'] = ['remove_input']   # output only
            c.source = re.sub(r'^#\|.*\n?', '', c.source, flags=re.M)
            for o in c.get('outputs', []):   # a README is markdown: an output with no markdown or plain-text form would be raw HTML
                d = o.get('data', {})
                if 'text/html' in d and 'text/markdown' not in d: raise SystemExit(f"index.ipynb: an output is HTML only; display Markdown instead:\n{c.source}")
                d.pop('text/html', None)
        keep.append(c)
    nb2 = copy.deepcopy(nb); nb2.cells = keep
    exp = MarkdownExporter()
    exp.register_preprocessor(TagRemovePreprocessor(remove_input_tags={'remove_input'}), enabled=True)
    body, _ = exp.from_notebook_node(nb2)
    site = (cfg.doc_host + cfg.doc_baseurl).rstrip('/') + '/'
    body = re.sub(r'\]\((?!https?:)([\w.-]+\.html)', lambda m: f'](' + site + m.group(1), body)  # doc pages live on the site
    head = f"# {fm.get('title', cfg.lib_name)}\n\n" + (f"> {fm['description']}\n\n" if fm.get('description') else '')
    text = '[//]: # (generated from nbs/index.ipynb by tools/build_docs.py: edit the notebook, not this file)\n\n' + head + body.strip() + '\n'
    (ROOT/'README.md').write_text(text, encoding='utf-8')
    return ROOT/'README.md'

# ---------------------------------------------------------------------------------------------------------------
# Processing: nbdev's docs processors, one notebook at a time, cached in _proc/
# ---------------------------------------------------------------------------------------------------------------

_PROC = r'''
import sys, nbdev.serve_drv as d
from pathlib import Path
from nbdev.processors import FilterDefaults
d.main((Path(sys.argv[1]), Path(sys.argv[2]), FilterDefaults))
'''

def process(cfg, names):
    "Run nbdev's docs processors on each notebook (a fresh process each, cached): {name: (path, error or None)}."
    cache = ROOT/'_proc'; cache.mkdir(exist_ok=True)
    import nbdev; deps = max(Path(p).stat().st_mtime for p in [cfg.config_file, nbdev.__file__])
    res = {}
    for name in names:
        src, dst = cfg.nbs_path/name, cache/name
        if src.suffix != '.ipynb': res[name] = (src, None); continue
        if dst.exists() and dst.stat().st_mtime >= max(src.stat().st_mtime, deps): res[name] = (dst, None); continue
        bad = cache/(name + '.failed')      # a failure is remembered too, until the notebook changes
        if bad.exists() and bad.stat().st_mtime >= max(src.stat().st_mtime, deps):
            res[name] = (src, bad.read_text()); print(f'  WARNING: {name} still fails nbdev\'s docs processing: {res[name][1][:300]}'); continue
        bad.unlink(missing_ok=True)
        t0 = time.time()
        r = subprocess.run([sys.executable, '-c', _PROC, str(src), str(dst)], cwd=ROOT, capture_output=True, text=True,
                           env=os.environ | {'PYTHONWARNINGS': 'ignore', 'MPLBACKEND': 'Agg'})
        if r.returncode == 0 and dst.exists():
            res[name] = (dst, None); print(f'  processed {name} ({time.time()-t0:.0f} s)')
        else:
            dst.unlink(missing_ok=True)
            err = [l for l in r.stderr.strip().splitlines() if l.strip()]
            where = next((l.replace('Exception: ', '') for l in err if l.startswith('Exception: Error')), 'Error')
            why = next((l for l in err if re.match(r'\w+(Error|Exception|Interrupt): ', l) and not l.startswith('Exception: Error')), err[-1] if err else '?')
            res[name] = (src, f'{where.rstrip(" :")}: {why}'); bad.write_text(res[name][1])
            print(f'  WARNING: nbdev could not process {name} for the docs (nbdev_docs would fail too): '
                  f'{res[name][1][:400]}\n  rendering it from its saved outputs, without API entries')
    return res

# ---------------------------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------------------------

def anchor_id(text, seen):
    "Pandoc's (and so Quarto's) auto identifier for a heading's text, made unique on the page."
    s = re.sub(r'<[^>]+>', '', text)
    s = html.unescape(s).strip().lower()
    s = ''.join(ch for ch in s if ch.isalnum() or ch in '_-. \n')
    s = re.sub(r'\s+', '-', s)
    s = re.sub(r'^[^a-z\u00c0-\uffff]+', '', s) or 'section'
    base, n = s, 0
    while s in seen: n += 1; s = f'{base}-{n}'
    seen.add(s)
    return s

class Renderer:
    def __init__(self, cfg, pages):
        from markdown_it import MarkdownIt
        from pygments.formatters import HtmlFormatter
        try: from latex2mathml.converter import convert
        except ImportError: sys.exit('math needs latex2mathml: pip install latex2mathml (it is one of the dev extras)')
        self.tex = convert
        self.md = MarkdownIt('commonmark', {'html': True}).enable('table').enable('strikethrough')
        self.fmt = HtmlFormatter(nowrap=True)
        self.cfg, self.pages = cfg, pages
        self.host = (cfg.doc_host + cfg.doc_baseurl).rstrip('/') + '/'
        self.by_src = {p['src']: p['file'] for p in pages}
        data = os.environ.get('TEXTLAB_DATA_DIR')
        self.paths = [(re.escape(str(Path(data).resolve())) if data else None, '$TEXTLAB_DATA_DIR'),
                      (r'(?<![\w.$])/(?:[\w.+-]+/)*shared/data(?![\w-])', '$TEXTLAB_DATA_DIR'),
                      (re.escape(str(ROOT)), '~/textlab'), (r'/\S*?/site-packages/', 'site-packages/'),
                      # the checkout the notebooks ran in, when it is not this one: this workplace's clones are /work/NAME
                      (r'(?<![\w.~$])/work/[\w.-]+(?![\w.-])', '~/textlab'),
                      (re.escape(str(Path.home())) + r'(?=/)', '~'), (r'(?<![\w.~$])/(?:home|Users)/[\w.-]+(?=/)', '~')]

    # -- text helpers
    def code(self, src, lang='python'):
        from pygments import highlight
        from pygments.lexers import get_lexer_by_name, TextLexer
        try: lexer = get_lexer_by_name({'sh': 'bash', 'shell': 'bash', 'console': 'bash'}.get(lang, lang or 'text'))
        except Exception: lexer = TextLexer()
        out = highlight(src, lexer, self.fmt)
        # nbdev's doc links inside code (signature comments): a real link, not `[`x`](page.html#x)` as text
        return re.sub(r'\[`([^`\]]+)`\]\(([^)\s]+)\)', lambda m: f'<a href="{self.link(html.unescape(m[2]))}">{m[1]}</a>', out)

    def link(self, href):
        if href.startswith(self.host): href = href[len(self.host):]
        m = re.match(r'([\w./-]+\.(?:ipynb|qmd|md))(#.*)?$', href)
        if m and m[1] in self.by_src: href = self.by_src[m[1]] + (m[2] or '')
        return href

    def clean_output(self, t):
        t = re.sub(r'\x1b\[[0-9;?]*[A-Za-z]', '', t)
        t = '\n'.join(l.rsplit('\r', 1)[-1] if '\r' in l.rstrip('\r') else l.rstrip('\r') for l in t.split('\n'))
        for pat, rep in self.paths:
            if pat: t = re.sub(pat, lambda m: rep, t)
        t = re.sub(r'(?<![\w.~$])/tmp/[\w.-]+', '$TMPDIR/…', t)
        return t

    def math(self, src):
        "Replace $..$ and $$..$$ (pandoc's rules) outside code by placeholders; return (src, {placeholder: mathml})."
        found = {}
        def conv(tex, display):
            key = f'MATHXX{len(found)}XX'
            try: ml = self.tex(tex.strip(), display='block' if display else 'inline')
            except Exception as e:
                print(f'  WARNING: could not render math {tex!r}: {e}'); ml = f'<code class="tex">{html.escape(tex)}</code>'
            found[key] = f'<span class="math {"display" if display else "inline"}">{ml}</span>'
            return key
        parts = re.split(r'(```.*?```|~~~.*?~~~|`[^`\n]*`)', src, flags=re.S)
        for i in range(0, len(parts), 2):
            p = re.sub(r'\$\$(.+?)\$\$', lambda m: conv(m[1], True), parts[i], flags=re.S)
            p = re.sub(r'(?<![\\$\w])\$(?=\S)([^$\n]*?[^\s\\])\$(?![\d$])', lambda m: conv(m[1], False), p)
            parts[i] = p
        return ''.join(parts), found

    def markdown(self, src, seen, inline=False):
        src, found = self.math(src)
        out = self.md.renderInline(src) if inline else self.md.render(src)
        for k, v in found.items(): out = out.replace(k, v)
        out = re.sub(r'<a href="([^"]*)"', lambda m: f'<a href="{html.escape(self.link(html.unescape(m[1])))}"', out)
        def fence(m):
            lang = m[1] or 'text'
            return f'<div class="sourceCode"><pre class="sourceCode {lang}"><code>{self.code(html.unescape(m[2]), lang)}</code></pre></div>'
        out = re.sub(r'<pre><code(?: class="language-([\w+-]+)")?>(.*?)</code></pre>', fence, out, flags=re.S)
        if not inline:
            def head(m):
                i = anchor_id(m[2], seen)
                return f'<h{m[1]} id="{i}" class="anchored">{m[2]}<a class="anchor" href="#{i}" aria-label="link to this section"></a></h{m[1]}>'
            out = re.sub(r'<h([1-6])>(.*?)</h\1>', head, out, flags=re.S)
            out = re.sub(r'<table>.*?</table>', lambda m: f'<div class="table-scroll">{m[0]}</div>', out, flags=re.S)
        return out

    def table(self, h):
        "A pandas HTML table, readable: no inline style block, whole numbers as integers, NaN as a dash."
        h = re.sub(r'<style[^>]*>.*?</style>', '', h, flags=re.S)
        h = re.sub(r'\sborder="1"|\sstyle="text-align: right;"', '', h)
        def fix_body(mb):
            rows = re.findall(r'<tr>.*?</tr>', mb[0], flags=re.S)
            cells = [re.findall(r'<td>(.*?)</td>', r, flags=re.S) for r in rows]
            ncol = max((len(c) for c in cells), default=0)
            whole = []
            for j in range(ncol):
                vals = [c[j].strip() for c in cells if j < len(c) and c[j].strip() not in ('NaN', 'nan', 'None', '')]
                whole.append(bool(vals) and all(re.fullmatch(r'-?\d+(\.0+)?', v) for v in vals))
            def num(v, w):
                s = v.strip()
                if s in ('NaN', 'nan'): return '–'
                if w: n = int(float(s)); return f'{n:,}' if abs(n) >= 10000 else str(n)
                return v
            out = mb[0]
            for r, c in zip(rows, cells):
                j = iter(range(ncol)); nr = re.sub(r'<td>(.*?)</td>', lambda m: f'<td>{num(m[1], whole[next(j)])}</td>', r, flags=re.S)
                out = out.replace(r, nr, 1)
            return out
        h = re.sub(r'<tbody>.*?</tbody>', fix_body, h, flags=re.S)
        return f'<div class="table-scroll">{h}</div>'

    # -- cells
    def output(self, o, asis, seen, stem, nfig):
        d = o.get('data', {})
        if o['output_type'] == 'error':
            tb = self.clean_output('\n'.join(o.get('traceback', [])) or f"{o.get('ename')}: {o.get('evalue')}")
            return f'<div class="cell-output cell-output-error"><pre>{html.escape(tb)}</pre></div>'
        if 'text/markdown' in d:
            md = ''.join(d['text/markdown'])
            if asis and '[source](' in md or re.match(r'\s*---\s*\n', md):
                return self.api_entry(md, seen)
            return f'<div class="cell-output cell-output-display">{self.markdown(self.clean_output(md), seen)}</div>'
        for mime in ('image/png', 'image/jpeg', 'image/svg+xml'):
            if mime in d:
                nfig[0] += 1
                ext = {'image/png': 'png', 'image/jpeg': 'jpg', 'image/svg+xml': 'svg'}[mime]
                fn = f'figures/{stem}-{nfig[0]}.{ext}'
                raw = ''.join(d[mime]).encode() if ext == 'svg' else base64.b64decode(''.join(d[mime]))
                (self.out/fn).write_bytes(raw)
                alt = html.escape(self.clean_output(''.join(d.get('text/plain', 'figure')))[:120])
                return (f'<div class="cell-output cell-output-display"><figure><a href="{fn}" title="open the figure at full size">'
                        f'<img src="{fn}" alt="{alt}"></a></figure></div>')
        if 'text/html' in d:
            h = self.clean_output(''.join(d['text/html']))
            if '<table' in h and 'dataframe' in h: h = self.table(h)
            elif '<table' in h: h = re.sub(r'<table.*?</table>', lambda m: f'<div class="table-scroll">{m[0]}</div>', h, flags=re.S)
            return f'<div class="cell-output cell-output-display">{h}</div>'
        if 'text/plain' in d:
            return self.pre(''.join(d['text/plain']), 'cell-output cell-output-display')
        return ''

    def pre(self, text, cls):
        text = text.rstrip('\n')
        if not text.strip(): return ''
        wrap = ' wrap' if max(len(l) for l in text.split('\n')) > 150 else ''
        return f'<div class="{cls}"><pre class="output{wrap}"><code>{html.escape(self.clean_output(text))}</code></pre></div>'

    def api_entry(self, md, seen):
        "One show_doc entry: the source link floated right of the heading, the signature, the docstring."
        md = self.clean_output(md)
        src = re.search(r'\[source\]\(([^)\s]+)\)(\{[^}]*\})?', md)
        md = md[:src.start()] + md[src.end():] if src else md
        md = re.sub(r'^\s*---\s*\n', '', md)
        body = self.markdown(md, seen)
        if src:
            a = f'<a class="api-source" href="{html.escape(src[1])}" target="_blank" rel="noopener">source</a>'
            body = re.sub(r'(<h[2-6] [^>]*>)', lambda m: m[1] + a, body, count=1) if re.search(r'<h[2-6] ', body) else a + body
        return f'<div class="api-entry">{body}</div>'

    def cell(self, c, seen, stem, nfig):
        if c.cell_type == 'markdown': return self.markdown(c.source, seen)
        if c.cell_type != 'code': return ''
        dirs = dict(re.findall(r'^#\|\s*([\w-]+):?\s*(.*?)\s*$', c.source, flags=re.M))
        if dirs.get('include') == 'false' or dirs.keys() & {'hide', 'export', 'exporti', 'default_exp'}: return ''   # as nbdev's rm_export
        src = re.sub(r'^#\|.*\n?', '', c.source, flags=re.M).strip('\n')
        echo = dirs.get('echo', 'true') != 'false' and src.strip()
        outs = [] if dirs.get('output') == 'false' else list(c.get('outputs', []))
        parts, stream = [], None
        def flush():
            nonlocal stream
            if stream: parts.append(self.pre(stream[1], f'cell-output cell-output-{stream[0]}'))
            stream = None
        for o in outs:
            if o['output_type'] == 'stream':
                t = ''.join(o['text'])
                if 'IProgress not found' in t or 'from .autonotebook import tqdm' in t: continue
                if stream and stream[0] == o['name']: stream[1] += t
                else: flush(); stream = [o['name'], t]
            else:
                flush(); parts.append(self.output(o, dirs.get('output') == 'asis', seen, stem, nfig))
        flush()
        parts = [p for p in parts if p]
        if not echo and not parts: return ''
        inp = f'<div class="sourceCode cell-code"><pre class="sourceCode python"><code>{self.code(src)}</code></pre></div>' if echo else ''
        return f'<div class="cell">{inp}{"".join(parts)}</div>'

    def page(self, p, out):
        self.out = out
        nb, seen, nfig = p['nb'], set(), [0]
        body = ''.join(self.cell(c, seen, Path(p['file']).stem, nfig) for c in p['cells'])
        if p['error']:
            body = (f'<div class="callout-warning"><b>This page is incomplete:</b> nbdev could not process the notebook for '
                    f'the docs, so its API entries are missing. {html.escape(p["error"][:300])}</div>') + body
        return body

# ---------------------------------------------------------------------------------------------------------------
# The site
# ---------------------------------------------------------------------------------------------------------------

ICON_GH = ('<svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true"><path fill="currentColor" d="M8 0C3.58 0 0 '
           '3.58 0 8c0 3.54 2.29 6.53 5.47 7.59.4.07.55-.17.55-.38 0-.19-.01-.82-.01-1.49-2.01.37-2.53-.49-2.69-.94-.09-.23-.48-.94'
           '-.82-1.13-.28-.15-.68-.52-.01-.53.63-.01 1.08.58 1.23.82.72 1.21 1.87.87 2.33.66.07-.52.28-.87.51-1.07-1.78-.2-3.64-.89'
           '-3.64-3.95 0-.87.31-1.59.82-2.15-.08-.2-.36-1.02.08-2.12 0 0 .67-.21 2.2.82.64-.18 1.32-.27 2-.27.68 0 1.36.09 2 .27 '
           '1.53-1.04 2.2-.82 2.2-.82.44 1.1.16 1.92.08 2.12.51.56.82 1.27.82 2.15 0 3.07-1.87 3.75-3.65 3.95.29.25.54.73.54 1.48 '
           '0 1.07-.01 1.93-.01 2.2 0 .21.15.46.55.38A8.013 8.013 0 0016 8c0-4.42-3.58-8-8-8z"/></svg>')

LAYOUT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – {site}</title>
<meta name="description" content="{meta_desc}">
<link rel="stylesheet" href="site_libs/site.css"><link rel="stylesheet" href="styles.css">
</head>
<body>
<header class="navbar"><a class="navbar-title" href="index.html">{site}</a>
<div class="search"><input id="search-input" type="search" placeholder="Search" aria-label="Search the docs" autocomplete="off">
<div id="search-results" hidden></div></div>
<nav class="navbar-right">{nav_right}</nav></header>
<div class="page-columns">
<nav id="sidebar" class="sidebar" aria-label="pages">{sidebar}</nav>
<main id="quarto-document-content" class="content">
<header id="title-block-header"><h1 class="title">{title}</h1>{description}</header>
{body}
<nav class="page-navigation">{prevnext}</nav>
</main>
<nav id="TOC" class="toc" aria-label="on this page">{toc}</nav>
</div>
<footer class="nav-footer"><div class="nav-footer-left">{foot_left}</div><div class="nav-footer-right">{foot_right}</div></footer>
<script src="site_libs/search-index.js"></script><script src="site_libs/search.js"></script>
</body></html>
"""

def _title_of(path):
    "A page's title and description from its notebook or .qmd/.md front matter."
    if path.suffix == '.ipynb':
        nb = nbformat.read(path, as_version=4)
        fm, cells = _frontmatter(nb)
        return fm, cells, nb
    text = path.read_text(encoding='utf-8')
    m = re.match(r'---\n(.*?)\n---\n', text, re.S)
    fm = yaml.safe_load(m[1]) if m else {}
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text[m.end():] if m else text)])
    return fm or {}, list(nb.cells), nb

def _sidebar_names(contents):
    for c in contents:
        if isinstance(c, str): yield c
        elif isinstance(c, dict):
            if 'href' in c: yield c['href']
            yield from _sidebar_names(c.get('contents', []))

def _toc(body, depth):
    items = re.findall(r'<h([2-%d]) id="([^"]+)"[^>]*>(.*?)<a class="anchor"' % depth, body, flags=re.S)
    items = [(l, i, re.sub(r'<a class="api-source".*?</a>', '', t)) for l, i, t in items]
    if not items: return ''
    lis = ''.join(f'<li class="toc-h{l}"><a href="#{i}">{re.sub(r"<(?!/?(code|math|mi|mo|mn|msub|msup|mrow|span)[ >])[^>]+>", "", t)}</a></li>'
                  for l, i, t in items)
    return f'<h2 id="toc-title">On this page</h2><ul>{lis}</ul>'

def _plain(body):
    t = re.sub(r'<(script|style|math)[^>]*>.*?</\1>', ' ', body, flags=re.S)
    t = re.sub(r'</?(span|a|code|em|strong|b|i|mark|sub|sup)\b[^>]*>', '', t)    # inline tags join, block tags separate
    return re.sub(r'\s+', ' ', html.unescape(re.sub(r'<[^>]+>', ' ', t))).strip()

def _foot(items, r):
    if isinstance(items, str): return r.markdown(items, set(), inline=True)
    out = []
    for it in items or []:
        if isinstance(it, str): out.append(r.markdown(it, set(), inline=True)); continue
        label = html.escape(it.get('text', '')) or (ICON_GH if it.get('icon') == 'github' else '')
        out.append(f'<a href="{html.escape(it.get("href", "#"))}" aria-label="{html.escape(it.get("aria-label", it.get("text", it.get("icon", ""))))}">{label}</a>')
    return ' '.join(out)

def site(check=False):
    "Render every page in the sidebar to _site/ with navigation, tables of contents, search and rendered math."
    from nbdev.quarto import refresh_quarto_yml, nbdev_sidebar
    from pygments.formatters import HtmlFormatter
    cfg = _cfg()
    t0 = time.time()
    refresh_quarto_yml(); nbdev_sidebar.__wrapped__(path=cfg.nbs_path)
    nbs = cfg.nbs_path
    qy = yaml.safe_load((nbs/'_quarto.yml').read_text())
    def merge(a, b):   # Quarto merges metadata files into the project's config, key by key
        for k, v in b.items(): a[k] = merge(a.get(k, {}), v) if isinstance(v, dict) and isinstance(a.get(k), dict) else v
        return a
    for f in qy.get('metadata-files', []): qy = merge(qy, yaml.safe_load((nbs/f).read_text()) or {})
    web, fmt = qy.get('website', {}), qy.get('format', {}).get('html', {})
    names = list(_sidebar_names(web.get('sidebar', {}).get('contents', [])))
    missing = [p.name for p in sorted(nbs.glob('*.ipynb')) if p.name not in names and not p.name.startswith(('_', '.'))]
    if missing: print('  WARNING: notebooks not in the sidebar:', missing)
    procd = process(cfg, names)
    out = ROOT/'_site'
    shutil.rmtree(out, ignore_errors=True); (out/'figures').mkdir(parents=True); (out/'site_libs').mkdir()
    pages = []
    for name in names:
        path, err = procd[name]
        fm, cells, nb = _title_of(path)
        stem = re.sub(r'^\d+[a-z]?_', '', Path(name).stem)
        pages.append(dict(src=name, file=fm.get('output-file', stem + '.html'), title=str(fm.get('title', stem)),
                          description=str(fm.get('description', '') or ''), cells=cells, nb=nb, error=err))
    r = Renderer(cfg, pages)
    site_title = web.get('title', cfg.title)
    repo = web.get('repo-url', cfg.git_url)
    actions = web.get('repo-actions', [])
    nav_right = _foot(web.get('navbar', {}).get('right', []), r)
    foot = web.get('page-footer', {})
    foot_left, foot_right = (_foot(foot.get('left', ''), r), _foot(foot.get('right', []), r)) if isinstance(foot, dict) else (_foot(foot, r), '')
    depth = int(fmt.get('toc-depth', 3))
    index = []
    for p in pages: p['body'] = r.page(p, out)
    fix_doc_links(pages, cfg)
    for k, p in enumerate(pages):
        body = p['body']
        sidebar = ''.join(f'<a href="{q["file"]}"{" class=active aria-current=page" if q is p else ""}>{html.escape(q["title"])}</a>' for q in pages)
        toc = _toc(body, depth) if fmt.get('toc', True) else ''
        if actions:
            links = []
            if 'issue' in actions: links.append(f'<a href="{repo}/issues/new" class="toc-action">Report an issue</a>')
            if 'source' in actions and p['src'].endswith('.ipynb'): links.append(f'<a href="{repo}/blob/{web.get("repo-branch", "main")}/nbs/{p["src"]}" class="toc-action">View source</a>')
            if 'edit' in actions: links.append(f'<a href="{repo}/edit/{web.get("repo-branch", "main")}/nbs/{p["src"]}" class="toc-action">Edit this page</a>')
            toc += '<div class="toc-actions">' + ''.join(links) + '</div>'
        prev = f'<a class="prev" href="{pages[k-1]["file"]}">← {html.escape(pages[k-1]["title"])}</a>' if k else '<span></span>'
        nxt = f'<a class="next" href="{pages[k+1]["file"]}">{html.escape(pages[k+1]["title"])} →</a>' if k + 1 < len(pages) else ''
        desc = f'<p class="description subtitle">{r.markdown(p["description"], set(), inline=True)}</p>' if p['description'] else ''
        (out/p['file']).write_text(LAYOUT.format(
            title=html.escape(p['title']), site=html.escape(site_title), meta_desc=html.escape(_plain(desc)), description=desc,
            nav_right=nav_right, sidebar=sidebar, body=body, toc=toc, prevnext=prev + nxt, foot_left=foot_left, foot_right=foot_right),
            encoding='utf-8')
        # the search index: one entry per section (h2/h3), as Quarto's search does
        chunks = re.split(r'(?=<h[23] id=")', body)
        for ch in chunks:
            m = re.match(r'<h[23] id="([^"]+)"[^>]*>(.*?)</h[23]>', ch, flags=re.S)
            sec = _plain(re.sub(r'<a class="api-source".*?</a>', '', m[2])) if m else ''
            text = _plain(ch[m.end():] if m else ch)
            if not text and not sec: continue
            index.append(dict(href=p['file'] + (f'#{m[1]}' if m else ''), title=p['title'], section=sec, text=text[:3000]))
    # assets: the site's css (styles.css as Quarto uses it, plus this layout's), search, images the markdown refers to
    shutil.copy(nbs/fmt.get('css', 'styles.css'), out/'styles.css') if (nbs/fmt.get('css', 'styles.css')).exists() else (out/'styles.css').write_text('')
    (out/'site_libs'/'site.css').write_text(SITE_CSS + HtmlFormatter(style='default').get_style_defs('.sourceCode code'), encoding='utf-8')
    (out/'site_libs'/'search-index.js').write_text('window.SEARCH_INDEX = ' + json.dumps(index, ensure_ascii=False) + ';\n', encoding='utf-8')
    (out/'site_libs'/'search.js').write_text(SEARCH_JS, encoding='utf-8')
    for p in pages:
        for src in re.findall(r'<img src="(?!figures/|data:|https?:)([^"]+)"', p['body']):
            if (nbs/src).exists(): (out/src).parent.mkdir(parents=True, exist_ok=True); shutil.copy(nbs/src, out/src)
    print(f'{len(pages)} pages in {out} ({time.time()-t0:.0f} s): ' + ', '.join(p['file'] for p in pages))
    errs = [p for p in pages if p['error']]
    if check: check_site(out, pages, cfg)
    elif errs: print('WARNING: incomplete pages (docs processing failed):', ', '.join(p['file'] for p in errs))
    return out

def fix_doc_links(pages, cfg):
    """nbdev links every backticked name of the library, private helpers and methods too, but documents only public
    functions and classes: a link to an anchor no page has goes to the name's source line instead."""
    ids = {p['file']: set(re.findall(r' id="([^"]+)"', p['body'])) for p in pages}
    src = {}
    try:
        from importlib import import_module
        for syms in import_module(f'{cfg.lib_name}._modidx').d['syms'].values():
            for v in syms.values():
                if isinstance(v, (list, tuple)) and len(v) > 1:
                    src[v[0].split('/')[-1].lower()] = v[1] if re.match(r'https?:', v[1]) else f'{cfg.git_url}/blob/{cfg.branch}/{v[1]}'
    except Exception: pass
    fixed, failed = [], {p['file'] for p in pages if p['error']}   # an incomplete page's missing anchors stay broken
    def fix(m, here):
        href = html.unescape(m[1]); pg, _, anc = href.partition('#')
        pg = pg or here
        if not anc or pg not in ids or anc in ids[pg] or pg in failed or re.match(r'https?:', href): return m[0]
        to = src.get(f'{pg}#{anc}'.lower())
        if not to: return m[0]               # not one of nbdev's doc links: a broken anchor, for the check to report
        fixed.append(f'{here}: {href}')
        return f'<a href="{html.escape(to)}" class="source-ref"'
    for p in pages:
        p['body'] = re.sub(r'<a href="([^"]*)"', lambda m: fix(m, p['file']), p['body'])
    if fixed: print(f'  {len(fixed)} doc links to names with no API entry (private helpers, methods) point to their source instead')

SITE_CSS = r"""
:root { --blue: #2780e3; --text: #343a40; --muted: #6c757d; --line: #dee2e6; --code-bg: #f8f9fa; }
* { box-sizing: border-box; }
html { scroll-padding-top: 70px; }
body { margin: 0; font: 17px/1.6 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--text); }
a { color: var(--blue); text-decoration: none; } a:hover { text-decoration: underline; }
.navbar { position: sticky; top: 0; z-index: 10; display: flex; align-items: center; gap: 1.5rem; height: 56px; padding: 0 1.5rem; background: var(--blue); color: white; }
.navbar a { color: white; } .navbar-title { font-size: 1.25rem; font-weight: 600; }
.navbar-right { margin-left: auto; display: flex; gap: 1rem; align-items: center; }
.search { position: relative; flex: 0 1 22rem; }
#search-input { width: 100%; padding: .35rem .7rem; border-radius: 4px; border: 0; font-size: 15px; }
#search-results { position: absolute; top: 2.4rem; left: 0; width: min(36rem, 90vw); max-height: 70vh; overflow-y: auto; background: white; color: var(--text);
  border: 1px solid var(--line); border-radius: 6px; box-shadow: 0 6px 24px rgba(0,0,0,.15); padding: .3rem 0; }
#search-results a { display: block; padding: .45rem .9rem; color: var(--text); } #search-results a:hover, #search-results a.sel { background: #e9f2fc; text-decoration: none; }
#search-results .r-title { font-weight: 600; color: var(--blue); } #search-results .r-text { font-size: 14px; color: var(--muted); }
#search-results mark { background: #fff3a0; padding: 0; } #search-results .none { padding: .5rem .9rem; color: var(--muted); }
.page-columns { display: grid; grid-template-columns: minmax(200px, 250px) minmax(0, 860px) minmax(180px, 240px); gap: 0 2.5rem; justify-content: center; }
.sidebar { position: sticky; top: 56px; align-self: start; max-height: calc(100vh - 56px); overflow-y: auto; padding: 1.5rem .5rem 1.5rem 1rem; font-size: 15px; }
.sidebar a { display: block; padding: .3rem .6rem; color: var(--text); border-radius: 4px; line-height: 1.35; }
.sidebar a.active { color: var(--blue); font-weight: 600; background: #e9f2fc; }
.content { min-width: 0; padding: 1.5rem 0 3rem; }
.toc { position: sticky; top: 56px; align-self: start; max-height: calc(100vh - 56px); overflow-y: auto; padding: 1.5rem 1rem 1rem 0; font-size: 14px; }
.toc h2 { font-size: 15px; margin: 0 0 .4rem; } .toc ul { list-style: none; padding: 0; margin: 0; border-left: 1px solid var(--line); }
.toc li a { display: block; padding: .12rem .7rem; color: var(--muted); } .toc li.toc-h3 a { padding-left: 1.5rem; }
.toc-actions { margin-top: 1rem; padding-top: .6rem; border-top: 1px solid var(--line); } .toc-action { display: block; color: var(--muted); }
@media (max-width: 1200px) { .page-columns { grid-template-columns: minmax(180px, 230px) minmax(0, 1fr); } .toc { display: none; } .content { padding-right: 1.5rem; } }
@media (max-width: 760px) { .page-columns { display: block; } .sidebar { display: none; } .content { padding: 1rem; } }
h1.title { font-size: 2.3rem; margin: .4rem 0 .3rem; line-height: 1.2; }
p.subtitle { font-size: 1.25rem; color: var(--muted); margin-top: 0; font-weight: 300; }
#title-block-header { margin-bottom: 1.5rem; }
h2 { font-size: 1.65rem; margin-top: 2.2rem; padding-bottom: .3rem; border-bottom: 1px solid var(--line); } h3 { font-size: 1.3rem; margin-top: 1.8rem; }
h2, h3, h4 { line-height: 1.25; font-weight: 500; } h2 code, h3 code { font-size: .85em; }
.anchored { position: relative; } .anchor { margin-left: .4rem; opacity: 0; font-size: .8em; color: var(--muted); } .anchor::after { content: "#"; }
.anchored:hover .anchor { opacity: 1; text-decoration: none; }
code { font-family: SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 14px; }
p code, li code, td code, th code, h2 code, h3 code, .subtitle code { color: #9753b8; background: #f6f6fb; padding: .05em .25em; border-radius: 3px; }
a code, p a code, li a code, td a code { color: var(--blue); }
td code { white-space: nowrap; }
.sourceCode pre, pre { background: var(--code-bg); padding: .7rem .9rem; border-radius: 4px; overflow-x: auto; line-height: 1.45; margin: .8rem 0; }
.sourceCode pre code { color: #1f2328; white-space: pre; }
.cell { margin: 1rem 0 1.2rem; } .cell > .sourceCode pre { margin-bottom: 0; }
.cell-output pre.output { background: none; border-left: 2px solid lightsalmon; border-radius: 0; margin: 0 0 0 .8rem; padding: .4rem .8rem; max-height: 32rem; overflow: auto; }
.cell-output pre.output.wrap code { white-space: pre-wrap; overflow-wrap: anywhere; }
.cell-output-stderr pre.output { border-left-color: #ccc; color: #6c757d; }
.cell-output-display { margin: .4rem 0 0 .8rem; }
.table-scroll { overflow-x: auto; max-width: 100%; margin: .7rem 0; }
table { border-collapse: collapse; font-size: 14px; } th, td { border-bottom: 1px solid var(--line); padding: .3rem .6rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #adb5bd; } .dataframe td { text-align: right; font-variant-numeric: tabular-nums; } .dataframe tbody th { font-weight: 500; }
figure { margin: .5rem 0; } figure img { max-width: 100%; height: auto; display: block; }
.math.display { display: block; overflow-x: auto; margin: .8rem 0; } math { font-family: "STIX Two Math", "Latin Modern Math", "Cambria Math", math; font-size: 1.08em; }
math[display="block"] { font-size: 1.15em; }
.api-entry { margin: 2rem 0 1.5rem; padding-top: .6rem; border-top: 1px solid var(--line); }
.api-entry h2, .api-entry h3, .api-entry h4 { border: 0; margin-top: .2rem; font-family: SFMono-Regular, Menlo, Consolas, monospace; font-size: 1.2rem; }
.api-source { float: right; font-family: -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 13px; font-weight: 400; margin-left: 1rem; line-height: 2; }
.api-entry p em { font-style: italic; }
blockquote { margin: 1rem 0; padding: .3rem 1rem; border-left: 4px solid var(--line); color: var(--muted); }
.callout-warning { border-left: 4px solid #ff7518; background: #fff6ef; padding: .6rem 1rem; margin: 1rem 0; border-radius: 4px; }
hr { border: 0; border-top: 1px solid var(--line); }
.page-navigation { display: flex; justify-content: space-between; margin-top: 3rem; padding-top: 1rem; border-top: 1px solid var(--line); }
.nav-footer { display: flex; justify-content: space-between; gap: 1rem; padding: 1rem 2rem; border-top: 1px solid var(--line); color: var(--muted); font-size: 14px; background: #f8f9fa; }
.nav-footer a { color: var(--muted); } .nav-footer svg { vertical-align: middle; }
"""

SEARCH_JS = r"""
(function () {
  const input = document.getElementById('search-input'), box = document.getElementById('search-results');
  const idx = (window.SEARCH_INDEX || []).map(e => Object.assign(e, {lt: (e.title + ' ' + e.section).toLowerCase(), lx: e.text.toLowerCase()}));
  const esc = s => s.replace(/[&<>"]/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]));
  const mark = (s, terms) => { let h = esc(s); for (const t of terms) h = h.replace(new RegExp('(^|[^a-z0-9_])(' + esc(t).replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + ')', 'ig'), '$1<mark>$2</mark>'); return h; };
  function search(q) {
    const terms = q.toLowerCase().split(/\s+/).filter(t => t.length > 1);
    if (!terms.length) return [];
    const re = t => new RegExp('(^|[^a-z0-9_])' + t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g');   // words that start with t
    const res = terms.map(re), phrase = terms.length > 1 ? q.toLowerCase().trim().replace(/\s+/g, ' ') : null;
    const hits = [];
    for (const e of idx) {
      let score = 0, ok = true;
      for (const r of res) {
        const inT = (e.lt.match(r) || []).length, n = (e.lx.match(r) || []).length;
        if (!inT && !n) { ok = false; break; }
        score += (inT ? 10 : 0) + Math.min(n, 5);
      }
      if (ok && phrase && (e.lt + ' ' + e.lx).includes(phrase)) score += 15;
      if (ok) hits.push([score, e]);
    }
    return hits.sort((a, b) => b[0] - a[0]).slice(0, 12).map(h => h[1]).map(e => {
      const m = e.lx.search(res[0]), i = Math.max(0, m - 60);
      return {href: e.href, title: e.title + (e.section ? ' › ' + e.section : ''), text: (i ? '…' : '') + e.text.slice(i, i + 180) + '…', terms};
    });
  }
  function show() {
    const res = search(input.value);
    box.hidden = !input.value.trim();
    box.innerHTML = res.length ? res.map((r, i) => '<a href="' + r.href + '"' + (i ? '' : ' class="sel"') + '><div class="r-title">' + mark(r.title, r.terms) +
      '</div><div class="r-text">' + mark(r.text, r.terms) + '</div></a>').join('') : '<div class="none">No results</div>';
  }
  if (!input) return;
  input.addEventListener('input', show);
  input.addEventListener('keydown', ev => {
    const items = [...box.querySelectorAll('a')], cur = items.findIndex(a => a.classList.contains('sel'));
    if (ev.key === 'Enter' && items.length) { location.href = items[Math.max(cur, 0)].getAttribute('href'); }
    else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault(); if (!items.length) return;
      const n = (cur + (ev.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length;
      items.forEach(a => a.classList.remove('sel')); items[n].classList.add('sel'); items[n].scrollIntoView({block: 'nearest'});
    } else if (ev.key === 'Escape') { box.hidden = true; input.blur(); }
  });
  document.addEventListener('click', ev => { if (!ev.target.closest('.search')) box.hidden = true; });
  document.addEventListener('keydown', ev => { if (ev.key === '/' && document.activeElement !== input) { ev.preventDefault(); input.focus(); } });
  const q = new URLSearchParams(location.search).get('q'); if (q) { input.value = q; show(); }
})();
"""

# ---------------------------------------------------------------------------------------------------------------
# The browser check
# ---------------------------------------------------------------------------------------------------------------

PROBE_JS = r"""
(doc, win) => {
  const C = doc.querySelector('#quarto-document-content'); if (!C) return {error: 'no content element'};
  const cr = C.getBoundingClientRect(), right = cr.right + 1;
  const bad = [];
  const txt = el => (el.innerText || '').replace(/\s+/g, ' ').trim().slice(0, 90);
  // text a reader sees, outside code: no raw $-math, markdown links, backticks or escaped pipes
  const walker = doc.createTreeWalker(C, NodeFilter.SHOW_TEXT);
  let n, prose = [];
  while ((n = walker.nextNode())) {
    const p = n.parentElement; if (!p || p.closest('pre, code, math, script, style, .cell-output')) continue;
    prose.push(n.nodeValue);
  }
  const P = prose.join('');
  const rawMath = (P.match(/\$[^\s$][^$\n]{0,200}?[^\s\\$]\$(?!\d)|\$\$|\\(frac|sqrt|mathrm|text|sum|cdot)\b/g) || []);
  const rawTick = (P.match(/[^\s]{0,20}`[^`]{0,40}/g) || []);
  const all = C.innerText + ' ' + (doc.querySelector('#title-block-header') || {innerText: ''}).innerText;
  const rawLinks = (all.match(/\[[^\]\n]{1,80}\]\((?:https?:|[\w.-]+\.html|#)[^)\s]*\)/g) || []);
  const pipes = [...C.querySelectorAll('td, th')].filter(e => e.innerText.includes('\\|')).map(txt);
  // overflow: anything reaching past the content column that no scroll box holds
  const over = [];
  for (const el of C.querySelectorAll('*')) {
    const r = el.getBoundingClientRect(); if (r.width === 0 || r.right <= right) continue;
    let s = el.parentElement, held = false;
    while (s && s !== C) { const o = win.getComputedStyle(s).overflowX; if ((o === 'auto' || o === 'scroll' || o === 'hidden') && s.getBoundingClientRect().right <= right) { held = true; break; } s = s.parentElement; }
    if (!held) over.push(el.tagName.toLowerCase() + '.' + (el.className || '') + ': ' + txt(el));
  }
  const scrollBoxes = [...C.querySelectorAll('pre, .table-scroll, .math.display')].filter(e => e.scrollWidth > e.clientWidth + 1).length;
  const imgs = [...C.querySelectorAll('img')];
  const small = imgs.filter(i => i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().width < Math.min(i.naturalWidth, cr.width) * 0.75).map(i => i.getAttribute('src'));
  const outs = [...C.querySelectorAll('.cell-output')].map(e => e.innerText).join('\n');
  const paths = (outs.match(/(?:\/work\/|\/root\/|\/home\/[\w.-]+\/|\/Users\/|\/tmp\/|\/private\/var\/|[A-Z]:\\Users\\|\/[\w\/.-]*site-packages)[^\s'",)]*/g) || []);
  const api = [...C.querySelectorAll('.api-entry')];
  const emptyApi = api.filter(e => !e.querySelector('h2, h3, h4') || !e.querySelector('pre, p')).map(txt);
  const maths = [...C.querySelectorAll('math')];
  const flatMath = maths.filter(m => m.getBoundingClientRect().width < 2).length;
  const heads = [...C.querySelectorAll('h1, h2, h3, h4')].filter(h => /¶/.test(h.innerText)).map(txt);
  const subtitle = (doc.querySelector('.subtitle') || {innerText: ''}).innerText;
  const top = e => e ? Math.round(e.getBoundingClientRect().top + win.scrollY) : null;   // where screenshots crop
  return {
    title: doc.title, text: C.innerText.length,
    ids: [...doc.querySelectorAll('[id]')].map(e => e.id),
    links: [...doc.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
    sidebar: [...doc.querySelectorAll('#sidebar a')].map(a => a.getAttribute('href')),
    toc: doc.querySelectorAll('#TOC li').length, h2: C.querySelectorAll('h2').length,
    imgs: imgs.length, broken: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src')), small,
    rawMath, rawTick: rawTick.concat(subtitle.includes('`') ? [subtitle] : []), rawLinks, pipes, over: over.slice(0, 8), nOver: over.length,
    scrollBoxes, paths: paths.slice(0, 8), nPaths: paths.length, api: api.length, emptyApi, math: maths.length, flatMath, heads,
    footer: !!doc.querySelector('.nav-footer a[href^="http"]'), issue: !!doc.querySelector('a[href$="/issues/new"]'),
    search: !!doc.getElementById('search-input'),
    mathTop: top(C.querySelector('.math.display') || C.querySelector('math')), imgTop: top(C.querySelector('figure img')),
    wideTop: top([...C.querySelectorAll('pre, .table-scroll')].find(e => e.scrollWidth > e.clientWidth + 1)),
  };
}
"""

def _chrome():
    for c in ('chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'):
        if shutil.which(c): return shutil.which(c)

def _run_chrome(chrome, args, timeout=90):
    with tempfile.TemporaryDirectory() as ud:
        return subprocess.run([chrome, '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                               '--no-first-run', '--disable-component-update', '--disable-sync', '--disable-quic',
                               '--disable-extensions', '--mute-audio', f'--user-data-dir={ud}', *args],
                              capture_output=True, text=True, timeout=timeout)

def check_site(out, pages, cfg):
    """Open every page in headless Chromium (one browser run, every page in an iframe of a probe page) and fail on
    what a reader would notice: a missing page, a broken link or anchor, an image that does not load, raw $-math,
    raw markdown links or backticks, code or tables overflowing the column, an empty API section, a machine path."""
    chrome = _chrome()
    if not chrome: print('skipped: chromium not installed (apt-get install chromium), the site was built but not checked'); return
    t0 = time.time()
    files = [p['file'] for p in pages]
    probe = out/'_probe.html'
    probe.write_text(f"""<!doctype html><html><head><title>probe</title></head><body>
<iframe id=f width=1415 height=1000 style="border:0"></iframe><pre id=result></pre><script>
const pages = {json.dumps(files)}, probe = {PROBE_JS}, res = {{}};
const f = document.getElementById('f');
let i = 0;
function next() {{
  if (i >= pages.length) {{ document.getElementById('result').textContent = JSON.stringify(res); document.title = 'done'; return; }}
  const p = pages[i++];
  f.onload = () => setTimeout(() => {{
    try {{
      const d = f.contentDocument, w = f.contentWindow, r = probe(d, w);
      if (p === 'index.html') {{           // search works in the browser: type a word, get results
        const inp = d.getElementById('search-input'); inp.value = 'attention'; inp.dispatchEvent(new w.Event('input'));
        r.searchHits = d.querySelectorAll('#search-results a').length;
      }}
      res[p] = r;
    }} catch (e) {{ res[p] = {{error: String(e)}}; }}
    next();
  }}, 150);
  f.src = p;
}}
next();
</script></body></html>""", encoding='utf-8')
    r = _run_chrome(chrome, ['--allow-file-access-from-files', '--virtual-time-budget=60000', '--window-size=1400,1000',
                             '--dump-dom', probe.as_uri()], timeout=110)
    probe.unlink()
    m = re.search(r'<pre id="result">(.*?)</pre>', r.stdout, re.S)
    if not m or not m[1].strip():
        print('BAD the probe page did not report (chromium stderr follows)\n' + r.stderr[-1500:]); sys.exit(1)
    res = json.loads(html.unescape(m[1]))
    problems, nlinks, nanchors = {}, 0, 0
    ids = {f: set(v.get('ids', [])) for f, v in res.items()}
    # every notebook and page in nbs/ has its page; every exported function and class has its entry
    nb_names = [p.name for p in sorted(cfg.nbs_path.glob('*.ipynb')) if not p.name.startswith(('_', '.'))]
    srcs = {p['src'] for p in pages}
    site_problems = [f'no page for {n}' for n in nb_names if n not in srcs]
    site_problems += [f'{f} was not built' for f in files if not (out/f).exists() or f not in res]
    failed = {p['file'] for p in pages if p['error']}    # reported once, as the page's failure
    try:
        from importlib import import_module
        modidx = import_module(f'{cfg.lib_name}._modidx').d['syms']
        for mod, syms in modidx.items():
            for sym, v in syms.items():
                name = sym[len(mod) + 1:]
                if '.' in name or name.startswith('_'): continue    # methods go with their class; private names have no entry
                url = (v[0] if isinstance(v, (list, tuple)) else v).split('/')[-1]
                pg, _, anc = url.partition('#')
                if pg in ids and anc not in ids[pg] and pg not in failed: site_problems.append(f'API entry missing: {sym} (no #{anc} on {pg})')
    except Exception as e: site_problems.append(f'could not read the API index: {e}')
    for p in pages:
        f = p['file']; v = res.get(f, {}); bad = []
        if 'error' in v: problems[f] = [v['error']]; continue
        if p['error']: bad.append(f'docs processing failed, page has no API entries: {p["error"][:200]}')
        if v['text'] < 200: bad.append(f'almost empty ({v["text"]} characters)')
        if sorted(v['sidebar']) != sorted(files): bad.append('sidebar does not list every page')
        if v['h2'] >= 2 and not v['toc']: bad.append('no table of contents')
        if not (v['footer'] and v['issue'] and v['search']): bad.append('missing footer/repository link, issue link or search box')
        for l in v['links']:
            if re.match(r'(https?:|mailto:|javascript:)', l): continue
            pg, _, anc = l.partition('#'); pg = pg.split('?')[0] or f
            nlinks += 1
            if pg.endswith('.html') and pg not in res: bad.append(f'broken link {l}')
            elif not pg.endswith('.html') and not (out/pg).exists(): bad.append(f'broken link {l}')
            elif anc and pg in ids:
                nanchors += 1
                if anc not in ids[pg]: bad.append(f'broken anchor {l}')
        if v['broken']: bad.append(f'images not loading: {v["broken"]}')
        if v['small']: bad.append(f'images shrunk below 75% of their size: {v["small"]}')
        if v['rawMath']: bad.append(f'raw math: {v["rawMath"][:4]}')
        if v['flatMath']: bad.append(f'{v["flatMath"]} math elements render with no width')
        if v['rawLinks']: bad.append(f'raw markdown links: {v["rawLinks"][:3]}')
        if v['rawTick']: bad.append(f'raw backticks: {v["rawTick"][:3]}')
        if v['pipes']: bad.append(f'escaped pipes in tables: {v["pipes"][:3]}')
        if v['nOver']: bad.append(f'{v["nOver"]} elements overflow the content column: {v["over"][:3]}')
        if v['nPaths']: bad.append(f'{v["nPaths"]} machine paths in outputs: {v["paths"][:3]}')
        if v['emptyApi']: bad.append(f'empty API entries: {v["emptyApi"][:3]}')
        if v['heads']: bad.append(f'pilcrows in headings: {v["heads"][:3]}')
        if f == 'index.html' and not v.get('searchHits'): bad.append('search for "attention" found nothing')
        if bad: problems[f] = bad
        print(('ok  ' if not bad else 'BAD ') + f"{f:18s} {v['text']:7,d} chars, {len(v['links']):4d} links, {v['imgs']} images, "
              f"{v['math']:3d} math, {v['api']:3d} API entries, {v['toc']:3d} toc items, {v['scrollBoxes']:3d} scroll boxes")
        from collections import Counter
        for i, (b, n) in enumerate(Counter(bad).items()):
            if i == 12: print(f'      ... and {len(set(bad)) - 12} more'); break
            print('      ' + b + (f' (x{n})' if n > 1 else ''))
    for i, b in enumerate(site_problems):
        if i == 15: print(f'BAD ... and {len(site_problems) - 15} more site problems'); break
        print('BAD ' + b)
    # screenshots: home, a lab page (the one with the most math and figures), the Benchmarks page
    SHOTS.mkdir(parents=True, exist_ok=True)
    lab = max((f for f in files if f not in ('index.html', 'bench.html')), key=lambda f: (res[f].get('math', 0) > 0) * 1000 + res[f].get('imgs', 0) * 10 + res[f].get('math', 0), default=None)
    shots = []
    for f in dict.fromkeys(x for x in ('index.html', lab, 'bench.html') if x in files):
        shot = SHOTS/f'{Path(f).stem}.png'
        _run_chrome(chrome, ['--window-size=1400,2400', '--hide-scrollbars', f'--screenshot={shot}', (out/f).as_uri()])
        if shot.exists(): shots.append(str(shot))

    # crops where a reader meets math, a figure and a scroll box (the lab page's first, else another page's):
    # headless Chrome cannot screenshot at an anchor, so one tall screenshot per page, cut
    want = {}
    for k in ('math', 'img', 'wide'):
        pg = next((f for f in [lab] + files if f and (res[f].get(k + 'Top') or 1e9) < 14000), None)
        if pg: want.setdefault(pg, {})[k] = res[pg][k + 'Top']
    try:
        from PIL import Image
        for pg, parts in want.items():
            tall = SHOTS/'_tall.png'
            _run_chrome(chrome, [f'--window-size=1400,{max(parts.values()) + 1300}', '--hide-scrollbars',
                                 f'--screenshot={tall}', (out/pg).as_uri()])
            im = Image.open(tall)
            for k, y in parts.items():
                crop = SHOTS/f'{Path(pg).stem}-{ {"img": "figure", "wide": "scroll"}.get(k, k)}.png'
                im.crop((0, max(0, y - 450), 1400, min(im.height, y + 1150))).save(crop); shots.append(str(crop))
            tall.unlink()
    except Exception as e: print(f'  (no cropped screenshots: {e})')
    print(f'screenshots: {" ".join(shots)}')
    nbad = len(problems) + bool(site_problems)
    print(f'{len(files)} pages, {nlinks} internal links, {nanchors} anchors checked in Chromium ({time.time()-t0:.0f} s): '
          f'{len(files) - len(problems)} pages ok, {len(problems)} bad' + (f', {len(site_problems)} site problems' if site_problems else ''))
    if nbad: sys.exit(1)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--readme', action='store_true', help='only regenerate README.md')
    ap.add_argument('--check', action='store_true', help='check every page in headless Chromium')
    a = ap.parse_args()
    print('wrote', readme())
    if not a.readme: site(check=a.check)
