#!/usr/bin/env python
"""Build the docs site as static HTML without Quarto, and/or regenerate README.md from nbs/index.ipynb.

`nbdev_docs` (Quarto) is the real build, run by .github/workflows/deploy.yaml. This script renders the same
pages from the same processed notebooks (nbdev's `proc_nbs`: show_doc tables, hidden cells dropped) with
nbconvert, for machines where Quarto cannot be installed, and for checks in a headless browser.

    python tools/build_docs.py            # README.md and _site/
    python tools/build_docs.py --readme   # README.md only (no notebook is executed)
    python tools/build_docs.py --check    # also open every page in headless Chromium and check it
"""
import argparse, copy, html, json, re, shutil, subprocess, sys, tempfile
from pathlib import Path
import nbformat, yaml

ROOT = Path(__file__).resolve().parent.parent

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

def _is_hidden(c): return c.cell_type == 'code' and re.search(r'^#\|\s*(hide|export\b.*|default_exp.*)$', c.source, re.M) and 'hide' in c.source.split('\n', 1)[0] + c.source

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

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – {site}</title>
<style>
body {{ margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #212529; display: flex; }}
nav {{ width: 230px; flex: none; padding: 1.2rem; background: #f6f8fa; min-height: 100vh; box-sizing: border-box; position: sticky; top: 0; align-self: flex-start; }}
nav a {{ display: block; padding: .25rem .5rem; color: #2780e3; text-decoration: none; border-radius: 4px; }}
nav a.active {{ background: #2780e3; color: white; }}
nav .site {{ font-weight: 700; font-size: 1.3rem; color: #212529; margin-bottom: 1rem; }}
main {{ max-width: 920px; padding: 1.5rem 2.5rem; box-sizing: border-box; min-width: 0; }}
h1.title {{ margin-bottom: .2rem; }} p.description {{ font-style: italic; font-size: 1.25rem; opacity: .7; margin-top: 0; }}
pre {{ background: #f6f8fa; padding: .6rem .8rem; border-radius: 4px; overflow-x: auto; font-size: 14px; }}
.jp-OutputArea pre, .output_area pre {{ background: none; border-left: 2px solid lightsalmon; border-radius: 0; }}
table {{ border-collapse: collapse; margin: .6rem 0; font-size: 14px; }} th, td {{ border: 1px solid #dee2e6; padding: .3rem .55rem; text-align: left; }}
img {{ max-width: 100%; }} code {{ font-size: 14px; }}
.jp-InputPrompt, .jp-OutputPrompt, .prompt {{ display: none; }}
{pygments}
</style></head>
<body><nav><div class="site">{site}</div>{nav}</nav>
<main id="content"><h1 class="title">{title}</h1>{description}{body}</main></body></html>
"""

def site(check=False):
    "Render every processed notebook to _site/*.html with a shared navigation bar."
    from nbdev.serve import proc_nbs
    from nbdev.quarto import refresh_quarto_yml, nbdev_sidebar
    from nbconvert import HTMLExporter
    from pygments.formatters import HtmlFormatter
    cfg = _cfg()
    refresh_quarto_yml(); nbdev_sidebar.__wrapped__(path=cfg.nbs_path)
    cache = proc_nbs(cfg.nbs_path, force=True, n_workers=1)
    order = [n for n in yaml.safe_load((cfg.nbs_path/'sidebar.yml').read_text())['website']['sidebar']['contents']]
    out = ROOT/'_site'
    shutil.rmtree(out, ignore_errors=True); out.mkdir()
    pages = []
    for name in order:
        nb = nbformat.read(cache/name, as_version=4)
        fm, cells = _frontmatter(nb)
        pages.append((name, fm.get('output-file', Path(name).stem + '.html'), fm.get('title', Path(name).stem), fm.get('description', ''), cells, nb))
    host = (cfg.doc_host + cfg.doc_baseurl).rstrip('/') + '/'
    from nbconvert.preprocessors import TagRemovePreprocessor
    exp = HTMLExporter(template_name='basic')
    exp.register_preprocessor(TagRemovePreprocessor(remove_input_tags={'remove_input'}), enabled=True)
    for name, fn, title, desc, cells, nb in pages:
        for c in cells:
            if c.cell_type != 'code': continue
            if re.search(r'^#\|\s*echo:\s*false', c.source, re.M): c.source = ''; c.metadata['tags'] = ['remove_input']
            else: c.source = re.sub(r'^#\|.*\n?', '', c.source, flags=re.M)
            for o in c.get('outputs', []):   # Quarto-only attribute syntax, e.g. [source](...){target="_blank"}
                if 'text/markdown' in o.get('data', {}): o['data']['text/markdown'] = re.sub(r'(\]\([^)]*\))\{[^}]*\}', r'\1', o['data']['text/markdown'])
        nb.cells = [c for c in cells if not (c.cell_type == 'code' and not c.source and not c.get('outputs'))]
        body, _ = exp.from_notebook_node(nb, resources={})
        body = body.replace(host, '')
        nav = ''.join(f'<a href="{f}"{" class=active" if f == fn else ""}>{html.escape(t)}</a>' for _, f, t, *_ in pages)
        (out/fn).write_text(PAGE.format(title=html.escape(title), site=html.escape(cfg.title), nav=nav,
                                        description=f'<p class="description">{html.escape(desc)}</p>' if desc else '',
                                        body=body, pygments=HtmlFormatter().get_style_defs('.highlight')), encoding='utf-8')
    print(f'{len(pages)} pages in {out}: ' + ', '.join(p[1] for p in pages))
    if check: check_site(out, pages)
    return out

def check_site(out, pages):
    "Open every page in headless Chromium; check it rendered, links to every other page, and its images load."
    chrome = shutil.which('chromium') or shutil.which('chromium-browser') or shutil.which('google-chrome')
    if not chrome: sys.exit('no Chromium found: `apt-get install chromium` to check pages in a browser')
    js = ("(()=>{const imgs=[...document.images];return JSON.stringify({title:document.title,"
          "links:[...document.querySelectorAll('nav a')].map(a=>a.getAttribute('href')),"
          "imgs:imgs.length,broken:imgs.filter(i=>!(i.complete&&i.naturalWidth>0)).length,"
          "text:document.querySelector('#content').innerText.length,"
          "tables:document.querySelectorAll('#content table').length})})()")
    probe = out/'_probe.html'
    failures = 0
    names = [p[1] for p in pages]
    for _, fn, title, *_ in pages:
        probe.write_text(f'<iframe id=f src="{fn}" width=1200 height=900></iframe><script>'
                         f'f.onload=()=>{{const d=f.contentWindow;setTimeout(()=>{{document.title=d.eval({json.dumps(js)});}},300)}};</script>')
        with tempfile.TemporaryDirectory() as ud:
            r = subprocess.run([chrome, '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                                '--disable-background-networking', '--disable-component-update', '--disable-sync',
                                '--allow-file-access-from-files', f'--user-data-dir={ud}', '--virtual-time-budget=5000',
                                '--dump-dom', probe.as_uri()], capture_output=True, text=True, timeout=120)
        m = re.search(r'<title>(.*?)</title>', r.stdout, re.S)
        try: info = json.loads(html.unescape(m.group(1)))
        except Exception: info = None
        ok = bool(info) and info['text'] > 300 and sorted(info['links']) == sorted(names) and info['broken'] == 0
        failures += not ok
        print(('ok  ' if ok else 'BAD ') + fn, info if info else r.stderr[-500:])
        if ok:
            shot = out/f'_{Path(fn).stem}.png'
            subprocess.run([chrome, '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                            '--disable-component-update', '--disable-sync', '--no-first-run', f'--user-data-dir={tempfile.mkdtemp()}',
                            '--window-size=1280,1600', f'--screenshot={shot}', (out/fn).as_uri()], capture_output=True, timeout=120)
    probe.unlink()
    print(f'{len(pages) - failures} pages ok, {failures} bad')
    if failures: sys.exit(1)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--readme', action='store_true', help='only regenerate README.md')
    ap.add_argument('--check', action='store_true', help='check every page in headless Chromium')
    a = ap.parse_args()
    print('wrote', readme())
    if not a.readme: site(check=a.check)
