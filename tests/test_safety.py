"""The SERVICE / LOAD guard reads targets the way the engine does, and refuses unlisted hosts."""

from __future__ import annotations

import pytest

from kg.safety import MAX_NESTING, MAX_OPERATORS, Refused, TooDeep, check, host_allowed, scan


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { SERVICE <http://127.0.0.1:8890/sparql> { ?s ?p ?o } }",
        "select * { service silent <http://10.0.0.1/sparql> { ?s ?p ?o } }",
        "SELECT * { SERVICE<http://localhost/sparql>{ ?s ?p ?o } }",
        "PREFIX e: <http://192.168.1.1/> SELECT * { SERVICE e:sparql { ?s ?p ?o } }",
        "PREFIX : <http://127.0.0.1/> SELECT * { SERVICE:sparql { ?s ?p ?o } }",
        "PREFIX : <http://127.0.0.1/> SELECT * { SERVICE SILENT:sparql { ?s ?p ?o } }",
        "SELECT * { SERVICE # a comment\n <http://127.0.0.1/> { ?s ?p ?o } }",
        "SELECT * { SERVICE <http://\\u0031\\u0032\\u0037.0.0.1/> { ?s ?p ?o } }",
        "BASE <http://127.0.0.1/> SELECT * { SERVICE <sparql> { ?s ?p ?o } }",
        "SELECT * { SERVICE <http://2130706433/> { ?s ?p ?o } }",
        "SELECT * { SERVICE <http://example.org@127.0.0.1/> { ?s ?p ?o } }",
        "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
        "SELECT * { SERVICE undeclared:x { ?s ?p ?o } }",
        "SELECT * { ?s ?p 'x' . SERVICE <http://evil.example/> { ?s ?p ?o } }",
        "LOAD <http://127.0.0.1/data.ttl>",
        "LOAD SILENT <http://127.0.0.1/data.ttl> INTO GRAPH <http://g>",
        "PREFIX : <http://127.0.0.1/> LOAD:x",
        "INSERT DATA { <a> <b> 'c' } ; load <file:///etc/passwd>",
    ],
)
def test_refused(text):
    with pytest.raises(Refused):
        check(text, allowed_hosts=("example.org",))


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { ?s ?p 'SERVICE <http://127.0.0.1/> { }' }",
        'SELECT * { ?s ?p """LOAD <http://127.0.0.1/>\n""" }',
        "SELECT * { ?s ?p ?o } # SERVICE <http://127.0.0.1/> { }",
        "PREFIX service: <http://example.org/ns#> SELECT * { ?s service:load ?o }",
        "SELECT ?service ?load { ?service ?p ?load FILTER(?service < ?load) }",
        "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * { SERVICE <https://query.example.org:8443/sparql> { ?s ?p ?o } }",
    ],
)
def test_allowed(text):
    check(text, allowed_hosts=("example.org", "*.example.org"))


def test_scan_reads_form_dataset_and_prefixes():
    s = scan("PREFIX ex: <http://example.org/> CONSTRUCT { ?s ex:p ?o } FROM <http://g> WHERE { ?s ex:p ?o }")
    assert s.form == "CONSTRUCT" and s.has_dataset and s.prefixes == {"ex": "http://example.org/"}
    s = scan("ASK { ?s ?p 'FROM' }")
    assert s.form == "ASK" and not s.has_dataset


def test_host_allowed_entries():
    assert not host_allowed("http://example.org/", ())
    assert host_allowed("http://example.org/", ["example.org"])
    assert host_allowed("http://example.org:8890/", ["example.org:8890"])
    assert not host_allowed("http://example.org:8891/", ["example.org:8890"])
    assert host_allowed("https://example.org/", ["example.org:443"])
    assert host_allowed("http://a.example.org/", ["*.example.org"])
    assert not host_allowed("http://example.org/", ["*.example.org"])
    assert not host_allowed("http://badexample.org/", ["*.example.org"])
    assert host_allowed("http://[::1]:7/", ["[::1]:7"])
    assert not host_allowed("ftp://example.org/", ["example.org"])
    assert not host_allowed("http://x@example.org/", ["example.org"])
    assert not host_allowed("http://127.0.0.1/", ["localhost"])


def test_refusal_message_names_the_target_and_the_setting():
    with pytest.raises(Refused) as info:
        check("SELECT * { SERVICE <http://127.0.0.1:9/x> { } }")
    assert "127.0.0.1" in str(info.value) and "allowed_hosts" in str(info.value)


def nested(levels: int, inner: str = "?s ?p ?o") -> str:
    return "SELECT * WHERE " + "{ " * levels + inner + " }" * levels


def test_nesting_deeper_than_the_limit_is_refused_before_the_engine_parses_it():
    assert check(nested(MAX_NESTING)).nesting == MAX_NESTING
    with pytest.raises(TooDeep, match=f"{MAX_NESTING + 1} deep"):
        check(nested(MAX_NESTING + 1))
    with pytest.raises(TooDeep):
        check("SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 300 + "1" + ")" * 300 + ") }")
    # brackets in strings, IRIs and comments are not nesting
    many = "{" * 300
    assert check(f'SELECT * WHERE {{ ?s ?p "{many}" }} # {many}\n').nesting == 1
    assert check(f"SELECT * WHERE {{ ?s ?p <http://example.org/{'(' * 300}> }}").nesting == 1


def test_long_operator_chains_are_refused_before_the_engine_parses_them():
    chain = lambda op, n: f"SELECT ?s WHERE {{ ?s ?p ?o FILTER({op.join(['?o'] * (n + 1))}) }}"  # noqa: E731
    assert check(chain("+", MAX_OPERATORS)).operators == MAX_OPERATORS
    with pytest.raises(TooDeep, match="IN or VALUES"):
        check(chain("+", MAX_OPERATORS + 1))
    with pytest.raises(TooDeep):
        check(chain(" || ", MAX_OPERATORS // 2 + 1))  # `||` counts twice
    with pytest.raises(TooDeep):
        check("SELECT * WHERE { ?s " + "/".join(["<http://example.org/p>"] * 5000) + " ?o }")
    with pytest.raises(TooDeep):
        check("SELECT ?s WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * (MAX_OPERATORS + 2)) + " }")
    # not operators: names with dashes, strings, IRIs, comments
    assert check(f'SELECT ?s WHERE {{ ?s <http://e.org/a-b/c> "{"+" * 5000}" }} # {"/" * 5000}').operators == 0


def test_a_quote_that_starts_no_string_ends_the_scan_and_the_engine_refuses_the_text():
    # Going on past it made the scan quadratic (every later quote rescanned the rest); stopping is
    # safe because outside strings, IRIs and comments a quote can only start a string.
    import pyoxigraph as ox

    from kg.safety import lex

    for text in ["SELECT * WHERE { ?s ?p 'never closed } SERVICE <http://evil.example/> { ?s ?p ?o }",
                 'SELECT * WHERE { ?s ?p ?o } \\"\\" SERVICE <http://evil.example/> { ?s ?p ?o }']:
        first_quote = min(i for i in (text.find("'"), text.find('"')) if i >= 0)
        assert all(end <= first_quote for _, _, _, end in lex(text))
        assert check(text).remote == []
        with pytest.raises(SyntaxError):
            ox.Store().query(text)
    # a closed string still hides nothing
    with pytest.raises(Refused):
        check("SELECT * WHERE { ?s ?p 'x' SERVICE <http://evil.example/> { ?s ?p ?o } }")
