"""/api/v1/docs: the API reference as an accessible French page (issue 13), from the schema."""

import re

from pvd.api.api import api


def test_docs_page_lists_every_operation_in_french(client, db):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="fr"' in html or "<html lang='fr'" in html
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for op in methods.values():
            assert f"<code class=\"pvd-api-path\">{path}</code>" in html, path
            assert op["summary"] in html.replace("&#x27;", "'"), path
    # Parameters are documented in tables with their French descriptions.
    assert "Code de région (ex. 84)" in html
    # The interactive console stays available for developers.
    assert client.get("/api/v1/console").status_code == 200


def test_every_operation_has_a_french_summary():
    english = re.compile(r"\b(the|of|and|by|with|list|search|results?|compare|model)\b", re.I)
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            for text in (op.get("summary", ""), op.get("description", "")):
                assert not english.search(text.replace("`", "")), f"{method} {path}: {text}"
            assert op.get("summary"), f"{method} {path} has no summary"
