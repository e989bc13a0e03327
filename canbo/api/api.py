"""The HTTP API (django-ninja): read endpoints over the access policy, schema at /api/openapi.json."""

from ninja import NinjaAPI

from . import org, people
from .auth import API_AUTH
from .docs import VendoredSwagger

api = NinjaAPI(
    title="canbo API",
    version="1",
    description=(
        "Đọc dữ liệu công tác cán bộ trong phạm vi đơn vị được phân quyền. "
        "Xác thực: `Authorization: Bearer cb_…` (tạo bằng `canbo token create`) hoặc phiên đăng nhập. "
        "Ngày theo ISO 8601 (YYYY-MM-DD). Đối tượng ngoài phạm vi trả 404 như đối tượng không tồn tại."
    ),
    urls_namespace="api",
    auth=API_AUTH,
    docs=VendoredSwagger(),
)
api.add_router("", org.router)
api.add_router("", people.router)
