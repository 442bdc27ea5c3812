"""`_html.absolute` (链接的绝对地址) gives what urljoin gives, also on its fast path for root paths."""

from urllib.parse import urldefrag, urljoin

import pytest

from govsite.monitoring.html import absolute

BASES = (
    "http://www.example.gov.cn/",
    "http://www.example.gov.cn/xxgk/tzgg/index.html",
    "https://WWW.Example.gov.cn:8443/art/2026/11/20/art_1_1.html?id=3#top",
    "HTTP://127.0.0.1:40035/ywdt/index_1.html",
    "http://user@www.example.gov.cn/a/b/",
    "ftp://files.example.gov.cn/pub/",
    "www.example.gov.cn/relative/base.html",
    "",
)
HREFS = (
    "/", "/ywdt/", "/ywdt/12.html", "/xxgk/2026/11/t20261120_123.html", "/a/./b.html", "/a/../b.html",
    "/a/b/..", "/a/b/.", "/.well-known/x", "/a//b.html", "//cdn.example.gov.cn/x.js", "/a?b=1", "/a#part",
    "/a;jsessionid=1", "/文件/通知.pdf", "/a%20b.html", "/~user/", "/a b.html", "/a\tb.html",
    "./t20261120_1.html", "../index.html", "index_1.html", "?page=2", "http://other.gov.cn/x",
    "HTTPS://other.gov.cn", "#top", "javascript:void(0)", "mailto:a@b.cn", "  /ywdt/1.html  ", "",
)


@pytest.mark.parametrize("base", BASES)
def test_absolute_equals_urljoin(base: str) -> None:
    for href in HREFS:
        stripped = href.strip()
        if not stripped or stripped.startswith(("#", "javascript:", "mailto:", "tel:")):
            expected = ""
        else:
            expected = urldefrag(urljoin(base, stripped))[0]
        assert absolute(base, href) == expected, (base, href)
