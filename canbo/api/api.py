"""The HTTP API (django-ninja): read endpoints over the access policy, schema at /api/openapi.json."""

from functools import partial

from ninja import NinjaAPI
from ninja.errors import ValidationError

from . import org, people, quotas
from .auth import API_AUTH
from .docs import VendoredSwagger
from .errors import validation_error

api = NinjaAPI(
    title="canbo API",
    version="1",
    description=(
        "Đọc dữ liệu công tác cán bộ trong phạm vi đơn vị được phân quyền. "
        "Xác thực: `Authorization: Bearer cb_…` (tạo bằng `canbo token create`) hoặc phiên đăng nhập. "
        "Ngày theo ISO 8601 (YYYY-MM-DD). Đối tượng ngoài phạm vi trả 404 như đối tượng không tồn tại; riêng quá "
        "trình công tác của một cán bộ xem được thì đọc được trọn vẹn (danh sách và từng dòng), các đơn vị ngoài "
        "phạm vi chỉ có tên, như sơ yếu lý lịch mẫu 2C. "
        "Danh sách được phân trang bằng `limit`/`offset` (trả `count`, `next_offset`, `items`). "
        "Tham số sai trả 422 với thông báo tiếng Việt nêu tên tham số."
    ),
    urls_namespace="api",
    auth=API_AUTH,
    docs=VendoredSwagger(),
)
api.add_exception_handler(ValidationError, partial(validation_error, api=api))
api.add_router("", org.router)
api.add_router("", people.router)
api.add_router("", quotas.router)
