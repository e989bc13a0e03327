"""The deployed site, as docs/deployment.md sets it up: gunicorn with the production settings
behind a TLS proxy (simulated by the headers nginx sends), the demo data loaded."""

import re

VIETNAMESE_404 = "Không tìm thấy trang hoặc hồ sơ"


def test_plain_http_is_redirected_to_https(visitor):
    response = visitor.get("/dang-nhap/", https=False)
    assert response.status == 301
    assert response.header("Location").startswith("https://")


def test_login_page_is_vietnamese_with_security_headers(visitor):
    response = visitor.get("/dang-nhap/")
    assert response.status == 200
    assert '<html lang="vi">' in response.text and "Tên đăng nhập" in response.text
    assert response.header("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload"
    assert response.header("X-Frame-Options") == "DENY"
    assert response.header("X-Content-Type-Options") == "nosniff"
    csrf = response.set_cookies()["csrftoken"]
    assert "Secure" in csrf


def test_static_files_are_hashed_compressed_and_cached_for_a_year(visitor):
    page = visitor.get("/dang-nhap/").text
    css = re.search(r'href="(/static/vendor/bootstrap-[^"]+\.[0-9a-f]{12}\.css)"', page)
    assert css, "the stylesheet is not served under its hashed name (collectstatic, manifest storage)"
    response = visitor.get(css.group(1))
    assert response.status == 200 and response.header("Content-Type").startswith("text/css")
    assert "max-age=315360000" in response.header("Cache-Control") and "immutable" in response.header("Cache-Control")
    gzipped = visitor.get(css.group(1), headers={"Accept-Encoding": "gzip"})
    assert gzipped.header("Content-Encoding") == "gzip" and len(gzipped.body) < len(response.body)


def test_session_cookie_is_secure_and_http_only(visitor_from):
    browser = visitor_from("10.20.0.3")
    response = browser.log_in("lanhdao", "canbo-demo")
    assert response.status == 302
    session = response.set_cookies()["sessionid"]
    assert "Secure" in session and "HttpOnly" in session


def test_the_registry_pages_answer(admin):
    tree = admin.get("/don-vi/")
    assert tree.status == 200 and "Đảng bộ Thành phố Hà Nội" in tree.text
    unit_id = re.search(r'href="/don-vi/(\d+)/"', tree.text).group(1)
    assert admin.get(f"/don-vi/{unit_id}/").status == 200
    people = admin.get("/can-bo/?q=nguyen")
    assert people.status == 200
    person_id = re.search(r'href="/can-bo/(\d+)/"', people.text).group(1)
    assert admin.get(f"/can-bo/{person_id}/").status == 200
    assert admin.get(f"/don-vi/{unit_id}/tuan-thu/").status == 200
    assert admin.get(f"/bao-cao/{unit_id}/").status == 200
    api = admin.get("/api/units?limit=1")
    assert api.status == 200 and api.header("Content-Type").startswith("application/json")


def test_errors_are_the_vietnamese_pages_never_debug_pages(admin):
    missing = admin.get("/khong-co-trang-nay/")
    assert missing.status == 404 and VIETNAMESE_404 in missing.text
    bad = admin.get("/quy-dinh/vi-tri-chuyen-doi/?sua=abc")
    assert bad.status == 200
    nul = admin.get("/can-bo/?q=%00")
    assert nul.status == 400 and "Yêu cầu không hợp lệ" in nul.text
    for response in (missing, bad, nul):
        assert "Traceback" not in response.text and "DEBUG = True" not in response.text


def test_repeated_wrong_passwords_lock_the_login(visitor_from):
    browser = visitor_from("10.20.0.66")
    for _ in range(4):
        assert browser.log_in("kiemtra", "sai-mat-khau").status == 200
    assert browser.log_in("kiemtra", "sai-mat-khau").status == 429  # the fifth failure locks
    locked = browser.log_in("kiemtra", "canbo-demo")
    assert locked.status == 429
    assert "Tạm khóa đăng nhập" in locked.text
