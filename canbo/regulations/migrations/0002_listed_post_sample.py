"""Seed a representative subset of the posts that must change periodically.

The full list (119 positions in 18 sectors, Decree 59/2019 art. 36 amended by Decree 134/2021)
is completed by an administrator on the listed-posts page; periods here are samples within the
2–5 year range of the Decree, to be confirmed against each ministry's guidance.
"""

from django.db import migrations

SAMPLE = [
    ("Tổ chức cán bộ", "Thẩm định, tham mưu tuyển dụng, bổ nhiệm, điều động, luân chuyển cán bộ", 36),
    ("Tổ chức cán bộ", "Tổ chức thi tuyển, xét tuyển công chức, viên chức", 36),
    ("Tài chính, ngân sách", "Phân bổ, quản lý, cấp phát kinh phí ngân sách nhà nước", 36),
    ("Tài chính, ngân sách", "Kế toán, thủ quỹ tại cơ quan, đơn vị sử dụng ngân sách", 36),
    ("Mua sắm công, đấu thầu", "Tổ chức đấu thầu, mua sắm tài sản, hàng hóa, dịch vụ công", 36),
    ("Thanh tra, kiểm tra", "Thanh tra viên; kiểm tra viên trực tiếp thanh tra, kiểm tra", 36),
    ("Tài nguyên, đất đai", "Thẩm định hồ sơ giao đất, cho thuê đất, chuyển mục đích sử dụng đất", 36),
    ("Xây dựng", "Thẩm định, cấp giấy phép xây dựng", 36),
    ("Kế hoạch, đầu tư", "Thẩm định dự án đầu tư, cấp giấy chứng nhận đăng ký đầu tư", 36),
    ("Thuế", "Quản lý thu thuế, kiểm tra thuế", 36),
]
NOTE = "Tập mẫu nạp sẵn; thời hạn cần đối chiếu hướng dẫn của bộ, ngành."


def forwards(apps, schema_editor):
    ListedPost = apps.get_model("regulations", "ListedPost")
    for sector, name, months in SAMPLE:
        ListedPost.objects.get_or_create(
            sector=sector, name=name, defaults={"period_months": months, "is_sample": True, "note": NOTE}
        )


def backwards(apps, schema_editor):
    ListedPost = apps.get_model("regulations", "ListedPost")
    ListedPost.objects.filter(is_sample=True, name__in=[name for _s, name, _m in SAMPLE]).delete()


class Migration(migrations.Migration):
    dependencies = [("regulations", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
