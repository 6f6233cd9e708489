#!/usr/bin/env python3
"""sen2_check.py: checks scripts/sen2-extract on the vendored SEN2 data (data/sen2).

Usage:
    python3 tests/sen2_check.py [SCENARIO.json]

Runs `scripts/sen2-extract --la Sutton --data data/sen2` and checks:
  - the January 2025, 2024 and 2023 caseloads are 2582, 2304 and 2164;
  - every stock's by_age (or, without ages, by_placement) sums to its census total,
    each by_age vector has 26 non-negative integers;
  - the January 2025 placement split matches the published one
    (../shared/reference/sutton-published-figures.md);
  - every share vector sums to 1 within 1e-9, no count or share is negative,
    cease rates lie in [0, 1] and the age-25 rate is 1;
  - the output is byte-identical on a second run, and identical to the output from
    the raw release in ../shared/data/sen2-2025 when that folder exists (skipped if
    not; HNB_SEN2_RAW overrides the folder).
With SCENARIO.json, also checks that every object in it with keys "census" and
"by_age" (found anywhere in the JSON) equals the extracted stock for that census.

Prints one line per check ("ok", "FAIL" or "skip") and, last, "N passed, M failed".
Exit status 0 when nothing failed, 1 otherwise, 2 on a usage error.
Standard library only.
"""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.environ.get('HNB_SRC') or os.path.dirname(HERE)
SCRIPT = os.path.join(REPO, 'scripts', 'sen2-extract')
VENDORED = os.path.join(REPO, 'data', 'sen2')
RAW = os.environ.get('HNB_SEN2_RAW') or os.path.join(os.path.dirname(REPO), 'shared', 'data', 'sen2-2025')

EXPECTED_TOTALS = {'2023': 2164, '2024': 2304, '2025': 2582}
# January 2025 caseload by placement, summed by the project's mapping (reference file).
EXPECTED_2025 = {'mainstream': 925, 'base': 359, 'special': 572, 'nmi': 209, 'post16': 303,
                 'ap': 12, 'early_years': 21, 'other': 181}

passed = 0
failed = 0


def check(cond, name, detail=''):
    global passed, failed
    if cond:
        passed += 1
        print('ok - %s' % name)
    else:
        failed += 1
        print('FAIL - %s%s' % (name, (': ' + detail) if detail else ''))
    return cond


def run(data, la='Sutton'):
    p = subprocess.run([sys.executable, SCRIPT, '--la', la, '--data', data],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode('utf-8'), p.stderr.decode('utf-8')


def walk(obj, path=''):
    """Yield (path, value) for every value in a JSON tree."""
    yield path, obj
    if isinstance(obj, dict):
        for k, v in obj.items():
            for x in walk(v, '%s/%s' % (path, k)):
                yield x
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            for x in walk(v, '%s/%d' % (path, i)):
                yield x


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def share_vectors(d):
    der = d.get('derived', {})
    out = []
    if 'joiner_age_distribution' in der:
        out.append(('joiner_age_distribution', der['joiner_age_distribution']['shares']))
    if 'first_placement_shares' in der:
        out.append(('first_placement_shares', list(der['first_placement_shares']['shares'].values())))
    return out


def main(argv):
    if len(argv) > 1:
        sys.stderr.write('usage: sen2_check.py [SCENARIO.json]\n')
        return 2
    rc, text, err = run(VENDORED)
    if not check(rc == 0, 'sen2-extract --la Sutton runs on the vendored data', err.strip()):
        print('%d passed, %d failed' % (passed, failed))
        return 1
    try:
        d = json.loads(text)
    except ValueError as e:
        check(False, 'output is JSON', str(e))
        print('%d passed, %d failed' % (passed, failed))
        return 1
    check(True, 'output is JSON')

    # census totals
    ct = d.get('census_totals', {})
    for y, n in sorted(EXPECTED_TOTALS.items()):
        check(ct.get(y) == n, 'census_totals January %s = %d' % (y, n), 'got %r' % ct.get(y))
    stocks = {str(s.get('census')): s for s in d.get('stocks', [])}
    check(sorted(stocks) == sorted(EXPECTED_TOTALS), 'stocks for censuses 2023, 2024, 2025',
          'got %s' % sorted(stocks))
    for y, n in sorted(EXPECTED_TOTALS.items()):
        s = stocks.get(y)
        if s is None:
            continue
        check(s.get('total') == n, 'stock %s total = %d' % (y, n), 'got %r' % s.get('total'))
        check(isinstance(s.get('source'), str) and s['source'], 'stock %s has a source' % y)
        if 'by_age' in s:
            ba = s['by_age']
            shape = all(isinstance(v, list) and len(v) == 26 and all(isinstance(x, int) and x >= 0 for x in v)
                        for v in ba.values())
            check(shape, 'stock %s by_age: 26 non-negative integers per placement' % y)
            tot = sum(sum(v) for v in ba.values())
            check(tot == n, 'stock %s by_age sums to %d' % (y, n), 'sums to %d' % tot)
        else:
            bp = s.get('by_placement', {})
            check(sum(bp.values()) == n, 'stock %s (no ages) by_placement sums to %d' % (y, n),
                  'sums to %d' % sum(bp.values()))
    for y in ('2024', '2025'):
        check('by_age' in stocks.get(y, {}), 'stock %s has a by-age breakdown' % y)
    s25 = stocks.get('2025', {}).get('by_age', {})
    got = {p: sum(v) for p, v in s25.items()}
    check(got == EXPECTED_2025, 'January 2025 placement split matches the published figures',
          'got %s' % got)

    # shares and rates
    for name, v in share_vectors(d):
        check(abs(sum(v) - 1.0) <= 1e-9, '%s sums to 1' % name, 'sums to %r' % sum(v))
        check(all(is_num(x) and x >= 0 for x in v), '%s has no negative share' % name)
    check('joiner_age_distribution' in d.get('derived', {}) and
          len(d['derived']['joiner_age_distribution']['shares']) == 26,
          'joiner_age_distribution has 26 shares')
    cr = d.get('derived', {}).get('cease_rates_by_age', {}).get('rates')
    if check(isinstance(cr, list) and len(cr) == 26, 'cease_rates_by_age has 26 rates'):
        check(all(is_num(x) and 0.0 <= x <= 1.0 for x in cr), 'cease rates lie in [0, 1]')
        check(cr[25] == 1.0, 'cease rate at age 25 is 1')
    conv = d.get('derived', {}).get('conversion', {})
    check(is_num(conv.get('pooled')) and 0 < conv['pooled'] <= 1.5, 'conversion pooled is a plausible ratio',
          'got %r' % conv.get('pooled'))
    neg = [p for p, v in walk(d) if is_num(v) and v < 0 and not p.endswith('/residual')
           and '/net_change_by_age/' not in p]
    check(not neg, 'no negative number outside stock_flow residuals and cohort net changes', ', '.join(neg[:5]))
    check(isinstance(d.get('notes'), list), 'notes is a list')

    # determinism and vendored = raw
    rc2, text2, _ = run(VENDORED)
    check(rc2 == 0 and text2 == text, 'a second run gives byte-identical output')
    if os.path.isdir(RAW):
        rc3, text3, err3 = run(RAW)
        same = rc3 == 0 and text3 == text
        detail = err3.strip()
        if rc3 == 0 and not same:
            a, b = text.splitlines(), text3.splitlines()
            i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
            detail = 'first difference at line %d: %r vs %r' % (i + 1, a[i] if i < len(a) else '',
                                                                b[i] if i < len(b) else '')
        check(same, 'vendored data gives the same output as the raw release (%s)' % RAW, detail)
    else:
        print('skip - raw release not found at %s: vendored = raw not checked' % RAW)

    # scenario file
    if argv:
        path = argv[0]
        try:
            with open(path, encoding='utf-8') as f:
                sc = json.load(f)
        except (OSError, ValueError) as e:
            check(False, 'scenario %s is readable JSON' % path, str(e))
            sc = None
        if sc is not None:
            blocks = [(p, v) for p, v in walk(sc) if isinstance(v, dict) and 'census' in v and 'by_age' in v]
            estimated = {str(s.get('census')): s for s in d.get('stocks', []) if 'by_age_estimated' in s}
            check(bool(blocks), 'scenario %s has stocks blocks with "census" and "by_age"' % path)
            for p, v in blocks:
                y = str(v['census'])
                ref = stocks.get(y, {}).get('by_age') or estimated.get(y, {}).get('by_age_estimated')
                if ref is None:
                    check(False, '%s at %s: census %s' % (path, p or '/', y), 'no extracted by-age stock for that census')
                    continue
                diffs = []
                for k in sorted(set(ref) | set(v['by_age'] or {})):
                    if (v['by_age'] or {}).get(k) != ref.get(k):
                        diffs.append('%s: scenario %r, extracted %r' % (k, (v['by_age'] or {}).get(k), ref.get(k)))
                check(not diffs, '%s at %s (census %s) equals the extracted stock' % (path, p or '/', y), '; '.join(diffs[:3]))
                if 'total' in v and y in stocks:
                    check(v['total'] == stocks[y]['total'], '%s at %s: total equals the extracted total' % (path, p or '/'),
                          'scenario %r, extracted %r' % (v['total'], stocks[y]['total']))

    print('%d passed, %d failed' % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
