#!/usr/bin/env python3
"""Record real Helm (helm-python-sdk, Helm v4.2) outputs for the YAML fixture.

For every case the YAML text is used twice:
  * as a chart's values.yaml, rendering `toYaml`, `toYamlPretty` and `toJson`
    of `.Values` (or the chart-load error Helm reports);
  * as a chart file read with `.Files.Get | fromYaml | toJson` and
    `fromYamlArray | toJson` (values.yaml empty).
Usage:
    python3 src/yaml/testdata/record.py            # (re)record cases.json
    python3 src/yaml/testdata/record.py --check    # compare with cases.json
"""
import argparse, json, os, sys, tempfile, shutil
import helm_python as h

CHART = 'apiVersion: v2\nname: t\nversion: 0.1.0\n'


def render(values, data=None):
    d = tempfile.mkdtemp()
    try:
        os.makedirs(d + '/templates')
        open(d + '/Chart.yaml', 'w').write(CHART)
        open(d + '/values.yaml', 'w', encoding='utf-8').write(values)
        if data is None:
            open(d + '/templates/a.yaml', 'w').write('{{ toYaml .Values }}')
            open(d + '/templates/b.yaml', 'w').write('{{ toYamlPretty .Values }}')
            open(d + '/templates/c.yaml', 'w').write('{{ toJson .Values }}')
        else:
            open(d + '/data.yaml', 'w', encoding='utf-8').write(data)
            open(d + '/templates/d.yaml', 'w').write('{{ .Files.Get "data.yaml" | fromYaml | toJson }}')
            open(d + '/templates/e.yaml', 'w').write('{{ .Files.Get "data.yaml" | fromYamlArray | toJson }}')
        try:
            out = h.Chart.load(d).render({}, name='release-name', namespace='default', is_install=True)
        except h.HelmError as e:
            return {'error': str(e)}
        return {k.split('/')[-1].split('.')[0]: v for k, v in out.items()}
    finally:
        shutil.rmtree(d)


def q(s):
    """A YAML double-quoted scalar holding s (JSON string syntax is valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


cases = []


def add(cat, text, name=None):
    cases.append({'cat': cat, 'name': name or text[:60], 'yaml': text})


# ---- scalar typing (values read) -------------------------------------------
plain = ['1', '1000000', '0777', '0x1F', '0X1f', '1_000', '1e3', '1E3', '1.5e-3', '.5', '+1', '-0', '-0.0',
         '+.5', '0o17', '0b1010', '-0b11', '08', '09.5', '012', '0', '00', '1.', '1.e5', '100.0',
         '9007199254740993', '18446744073709551615', '18446744073709551616', '123456789012345678901234567890',
         '-9223372036854775808', '1e400', '5e-324', '1e21', '1e20', '1e-7', '0.000001', '123456789',
         '3.14159265358979', '1__0', '_1', '0b', '0x', '1e', '1:20', '190:20:30', '2024-01-01', '2024-1-1',
         '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10', '2024-13-45', '20240101',
         'yes', 'Yes', 'YES', 'yEs', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'y', 'Y', 'n', 'N',
         'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE', '~', 'null', 'Null', 'NULL', 'nULL', '',
         'Infinity', 'NaN', 'nan', 'inf', '.Inf_', '.e3', '0x1p3', '1,000', '1 000', '0.1', '-.5e+3', '+0x10',
         '-0x10', '0xFFFFFFFFFFFFFFFF', '0x10000000000000000', '=', '<<x', 'a b  c']
for p in plain:
    add('scalar', 'v: %s\n' % p, 'plain ' + p)
add('scalar', 'v:\n', 'empty value')
for p in ['.inf', '-.inf', '.nan', '.NaN', '+.INF']:
    add('error', 'v: %s\n' % p, 'nonfinite ' + p)
add('scalar', "a: '1'\nb: \"true\"\nc: 'yes'\nd: \"\"\ne: ''\nf: \"~\"\n", 'quoted stay strings')
add('scalar', 'a: |\n  line1\n  line2\nb: >\n  folded\n  text\n\n  para\nc: |-\n  x\nd: |+\n  y\n\ne: end\n', 'block scalars')
add('scalar', 'a: "esc \\t \\n \\x41 \\u00e9 \\U0001F600 \\\\ \\" \\/ \\0 \\a \\e \\N \\_ \\L \\P"\n', 'double escapes')
add('scalar', "a: 'it''s'\nb: 'multi\n  line'\nc: \"multi\n  line\\\n  cont\"\n", 'quote folding')
add('scalar', 'a: plain\n  continued\n  lines\n', 'plain multiline')
add('scalar', 'a: x # comment\nb: x#y\n# full\nc: "#"\n', 'comments')
add('scalar', '\ufeffa: 1\n', 'bom')
add('scalar', 'a: 1\r\nb: 2\r\n', 'crlf')

# ---- tags --------------------------------------------------------------------
for t in ['!!str 12', '!!str true', '!!str', '!!binary aGVsbG8=', '!!binary |\n  aGVs\n  bG8=', '!!int "12"', '!!float 1',
          '!!float "1.5"', '!!bool yes', '!!bool "true"', '!!null ""', '!!null ~', '!!timestamp 2024-01-01',
          '!custom x', '!!map {a: 1}', '!!seq [1]', '!!int abc', '!!float abc', '!!bool abc', '!!binary !!!',
          '!!int 0x10', '!!str 0777', '!<tag:yaml.org,2002:str> 5', '!!set {a, b}', '!!omap [a: 1]']:
    add('tag', 'v: %s\n' % t, 'tag ' + t)

# ---- keys --------------------------------------------------------------------
for k in ['1', '1.5', '1.50', '0777', '1e3', '0x10', 'true', 'Yes', 'on', 'y', 'n', 'off', '~', 'null', '"null"', '2024-01-01',
          '-1', '1e21', '1000000', '12345678', '0.1', '1_000', '"yes"', '[1, 2]', '{a: 1}', '? complex\n', '.5', '-0',
          '18446744073709551615', '123456789012345678901234567890', '.inf']:
    add('key', '%s: v\n' % k if not k.startswith('?') else k + ': v\n', 'key ' + k)
add('key', '_x: 1\n"1": 1\n"9": 1\n"10": 1\nB: 1\na: 1\na-b: 1\na_b: 1\na2: 1\na10: 1\naB: 1\na01: 1\na1: 1\n"0": 1\n"00": 1\n\u00e4: 1\nZ: 1\n"": 1\n" a": 1\nA: 1\na02: 1\na002: 1\nx9y: 1\nx10y: 1\nx09: 1\nx1: 1\n', 'natural sort')
add('key', '"a\\nb": 1\n"a b": 2\n"a: b": 3\n"- x": 4\n"#x": 5\n"' + 'k' * 130 + '": 6\n"' + 'k' * 128 + '": 7\n"yes": 8\n"1.0": 9\n"": 10\n', 'keys needing quotes')

# ---- anchors / merge ---------------------------------------------------------
add('anchor', 'base: &b {x: 1, y: 2}\nref: *b\n', 'alias map')
add('anchor', 's: &s hello\nt: *s\nl: &l [1, 2]\nm: *l\n', 'alias scalar list')
add('anchor', 'base: &b\n  x: 1\n  y: 2\nd:\n  <<: *b\n  y: 3\n', 'merge override')
add('anchor', 'a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc:\n  <<: [*a, *b]\n  z: 3\n', 'merge list')
add('anchor', 'a: &a {x: 1}\nc:\n  y: 0\n  <<: *a\n  x: 5\n', 'merge after keys')
add('anchor', 'c:\n  <<: {x: 1}\n', 'merge inline map')
add('anchor', 'c:\n  <<: 1\n', 'merge scalar')
add('anchor', 'c:\n  <<: [1]\n', 'merge list scalar')
add('anchor', 'c:\n  "<<": {x: 1}\n', 'quoted merge key')
add('anchor', 'a: *nope\n', 'unknown anchor')
add('anchor', 'a: &a [*a]\n', 'recursive anchor')
add('anchor', 'a: &x 1\nb: &x 2\nc: *x\n', 'redefined anchor')
add('anchor', 'a: &a1 !!str 5\nb: *a1\n', 'anchor with tag')
lol = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
prev = 'a'
for n in 'bcdefghi':
    lol += '%s: &%s [%s]\n' % (n, n, ','.join(['*' + prev] * 9))
    prev = n
add('anchor', lol, 'billion laughs')
add('anchor', 'a: &a [x, y]\nb: [*a, *a, *a]\n', 'small alias fanout')
add('anchor', 'c:\n  x: 5\n  <<: {x: 1, z: 2}\n', 'merge after existing key')
add('anchor', 'a: &a\n  b: &b [1, 2]\nc: *b\nd: {<<: *a, e: 1}\n', 'nested anchors')
add('anchor', 'a: &a {x: 1}\nb: &b {<<: *a, y: 2}\nc: {<<: *b, z: 3}\n', 'chained merge')
add('anchor', 'base: &b\n  k: v\nlist:\n  - <<: *b\n    n: 1\n  - <<: *b\n    n: 2\n', 'merge in list items')

# ---- structure / emitter -----------------------------------------------------
add('struct', 'a:\n  b:\n    c: [1, 2, {d: e}]\n  l:\n  - x\n  - - y\n    - z\n  - []\n  - {}\n  - ~\ne: {}\nf: []\n', 'nested')
add('struct', 'l:\n- - - deep\n- a: 1\n  b: [2]\n- - {x: 1, y: 2}\n', 'seq of seq')
add('struct', 'a: {b: {c: {d: {e: {f: {g: 1}}}}}}\n', 'deep maps')
add('struct', 'list: [a, "b c", 1, 1.5, true, null, "", "yes"]\n', 'flow list mixed')
add('struct', 'a: [\n  1,\n  2,\n]\nb: {x: 1, y: [a, b], }\n', 'flow trailing commas')
add('struct', 'k: [a: 1, b]\n', 'flow pair in seq')
add('struct', 'a:\n- b: 1\n  c:\n  - 2\n  - d: 3\n    e: [4]\n', 'list map list')
add('struct', 'a:\n  - - x\n    - y: [1, {z: [a, b]}]\n  - k: {m: [[], {}]}\n', 'mixed nesting')
add('struct', 'a: "x\\Ny \\u2028 \\x85"\nb: "\\ttab"\n', 'escaped breaks')
add('struct', 'big:\n' + ''.join('  k%d: v%d\n' % (i, i) for i in range(25)), 'many keys')

strs = ['yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'true', 'True', 'FALSE', 'null', 'Null', '~', '', '1', '1.0', '123', '-1',
        '.5', '1e3', '0x1F', '0777', '0o17', '0b101', '1_000', '+1', '.inf', '-.inf', '.nan', '.NaN', '2024-01-01',
        '2024-1-1', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10', '1:20', '190:20:30', '1:2:3.5', '-1:20',
        '1:60', 'a: b', 'a:b', 'a :b', 'a:', '*x', '&x', '!x', '%x', '@x', '`x', "'x", '"x', '#x', 'a #b', 'a#b', '- x', '-x',
        '-', '--', '---', '--- x', '...', '....', ':x', ': x', '?x', '? x', '?', '[x]', 'x]', '{x}', 'x}', 'x,y', '|x', '>x', 'x|',
        'a\nb', 'a\nb\n', 'a\nb\n\n', '\na', '\n', '\n\n', '  lead', ' lead', 'trail ', 'trail\t', 'a\tb', '\tx', 'line1 \nline2',
        'line1\n line2', 'a  b', 'a\n  b', 'é', '日本語', '😀', 'x😀y', '\u00a0x', 'x\u0085y', 'a\u2028b', '\x07bell', '\x1besc',
        '\r\n', 'a\rb', '\ufeffbom', 'x\ufeffy', '\x7f', '\u200b', '\ue000', '\ufffd', '\uffff', '<>&', '=', '<<', '0.1', '1.',
        'Infinity', 'NaN', 'nan', 'inf', '0', '00', '08', '-0', 'a"b', "a'b", 'a\\b', 'x ', ' ', '  ', '\t',
        'tab\there\nline', 'a\n\nb', 'a\n \nb', 'trailing\nspace \n', 'end\n\n\n', ' \nx', 'x\n ', '- a\n- b', 'key: value\nk2: v2',
        ' lead\nline', '#c\nx', 'a:\n  b', 'x\r\ny', 'é\nü', '😀\nx']
words = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua'
strs += [words, words + ' ' + words, 'x' * 100, ('word ' * 30).strip(), 'a  ' + words, words.replace(' ', '  '),
         words + '\n' + words, 'k: ' + words, '"' + words, words + ' \n' + words, 'é ' * 50, words.replace(' ', '\t', 3),
         ('abcdefghij ' * 8) + 'x', ('abcdefghi ' * 8) + 'xy z', ' ' + words, words + ' ', words.replace(' ', ' # '),
         'http://example.com/a?b=c&d=e#frag', 'a: ' * 30, '--- ' + words, "it's " * 20]
for s in strs:
    add('string', 'v: %s\n' % q(s), 'str ' + repr(s)[:50])
add('string', 'outer:\n  inner:\n    - %s\n    - k: %s\n' % (q(words + ' ' + words), q('a\nb')), 'nested long strings')
add('string', 'l:\n- %s\n- - %s\n' % (q('a\nb\n'), q(words + ' ' + words)), 'list literal')

nums = ['1000000', '1e6', '1.5', '1e21', '1e20', '123456789', '1e-7', '0.000001', '3.14159265358979', '-0.0', '-0',
        '9007199254740993', '18446744073709551615', '1e19', '0.1', '100.0', '1.0e+2', '5e-324', '1.7976931348623157e308',
        '123456789012345678', '1e-6', '12345678.9', '0.00001234', '-1e22', '2.5e-10', '1e15', '1e16', '1.5e300', '4294967296']
for n in nums:
    add('number', 'n: %s\n' % n, 'num ' + n)
add('number', 'l: [1, 2.5, -3, 1e3, 0x10]\n', 'num list')

# ---- multi-document ------------------------------------------------------------
for t in ['---\na: 1\n---\nb: 2\n', 'a: 1\n---\n', '---\n', 'a: {x: 1}\n---\na: {y: 2}\n', 'a: 1\n---\n- x\n', 'a: 1\n...\n',
          'a: 1\n---\na: 2\n', '---\n---\na: 1\n', 'a: 1\n--- 5\n', 'a: [1]\n---\na: [2]\n', 'a: 1\n---\na: null\n',
          '# only comment\n', '...\n', '--- {a: 1}\n', '--- |\n  text\n', '%YAML 1.1\n---\na: 1\n', '%YAML 1.2\n---\na: 1\n',
          '%TAG !e! tag:example.com,2000:\n---\na: !e!foo 1\n', 'a: 1\n---\nb: [\n']:
    add('multidoc', t, 'doc ' + repr(t)[:50])

# ---- top level non-map / errors --------------------------------------------------
for t in ['- a\n', 'hello\n', '42\n', 'null\n', '~\n', '""\n', '[]\n', '{}\n', 'true\n',
          'a: b: c\n', 'a: 1\nb: c: d\n', 'a: [1\n', 'a: {x: 1\n', 'a: "unterminated\n', "a: 'unterminated\n",
          'a: 1\n  b: 2\n', 'a:\n  b: 1\n c: 2\n', 'a: @x\n', 'a: 1\nb: `x\n', 'a:\n\tb: 1\n', 'a: 1\n\tb: 2\n', '- a\nb: c\n',
          'a: 1\n- b\n', 'a: 1\nb\n', 'a: 1\nb: 2\nc: [\n', '{a: 1}}\n', 'a: ]\n', 'a: }\n', 'a: x\n\n\n  - y\n',
          'a: !!binary ***\n', 'a: "\\q"\n', 'a: |\n  x\n y\n', 'a: &\n', 'a: *\n', 'a: !<>\n', '? a\n? a\n', 'a: 1\n---\n- x\n',
          'k: v\n' * 3 + 'x: [a, b\n', 'a:\n  - b\n  c: d\n', 'a: "x"y\n', 'a: 1\n %x\n', 'a: b\n...\nc\n', '"a": 1\n"a" : 2\n',
          '\x01a: 1\n', 'a: \x85\n', 'a: 1\n\x00\n', 'a: "\\xZZ"\n', 'a: "\\u12"\n', 'a: [1, 2]: 3\n', '[a, b]: c\n', '{a: 1}: x\n',
          'a:\n  - 1\n  -2\n  - 3\n', 'foo: bar\n!!str\n', 'a: -\n', 'a: - b\n', 'a: |0\n  x\n', 'a: >10\n  x\n', 'a: |++\n x\n']:
    add('error', t, 'err ' + repr(t)[:50])
# deep nesting
add('error', 'a: ' + '[' * 200 + ']' * 200 + '\n', 'deep flow 200')
add('error', ''.join('  ' * i + 'k:\n' for i in range(150)) + '  ' * 150 + 'k: 1\n', 'deep block 150')

CASES_JSON = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'cases.json')


def record(c):
    r = dict(c)
    r['values'] = render(c['yaml'])
    r['from'] = render('{}\n', c['yaml'])
    try:
        r['vfy'] = {'ok': json.dumps(h.values_from_yaml(c['yaml']), sort_keys=True)}
    except h.HelmError as e:
        r['vfy'] = {'error': str(e)}
    return r


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--check', action='store_true', help='compare with the committed cases.json instead of writing')
    args = ap.parse_args(argv)
    out = [record(c) for c in cases]
    if not args.check:
        with open(CASES_JSON, 'w', encoding='utf-8', newline='') as fh:
            json.dump(out, fh, ensure_ascii=False, indent=1)
            fh.write('\n')
        print('yaml:', len(out), 'cases recorded', file=sys.stderr)
        return 0
    with open(CASES_JSON, encoding='utf-8') as fh:
        expected = json.load(fh)
    drifted = 0
    if len(expected) != len(out):
        print('yaml: %d cases recorded, %d generated' % (len(expected), len(out)))
        drifted += 1
    for want, got in zip(expected, out):
        if want != got:
            drifted += 1
            print('DRIFT %s: %s' % (got['cat'], got['name']))
    print('yaml: %d cases checked, %d drifted' % (len(out), drifted))
    return 1 if drifted else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
