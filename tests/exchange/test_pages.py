"""The exchange pages: upload → dry run → commit, jobs, the background path and exports."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from canbo.audit.models import AuditEvent
from canbo.exchange.models import ImportJob
from canbo.people.models import Person

from .. import factories as f
from .conftest import cid, people_rows, workbook_bytes


def upload(client, data: bytes, kind: str = "people", name: str = "can-bo.xlsx"):
    return client.post(reverse("exchange:upload"), {"loai": kind, "tep": SimpleUploadedFile(name, data)})


def job_url(job) -> str:
    return f"{reverse('exchange:job')}?luot={job.pk}"


def good_file(n: int = 2) -> bytes:
    return workbook_bytes(people_rows(*[[cid(1980), f"Nguyễn Văn Số {i}", "Nam", "17/05/1980", "HN-BADINH"] for i in range(n)]))


@pytest.fixture
def officer_client(client, officer_a):
    client.force_login(officer_a)
    return client


def test_pages_need_a_login(client, db):
    response = client.get(reverse("exchange:home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_upload_check_and_commit(officer_client, officer_a, city, worker):
    response = worker(upload, officer_client, good_file(2))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert (job.status, job.background, job.created_count, job.user) == (ImportJob.Status.CHECKED, True, 2, officer_a)
    page = officer_client.get(job_url(job)).content.decode()
    assert "Ghi vào hệ thống" in page and "Nguyễn Văn Số 0" in page
    assert not Person.objects.filter(full_name__startswith="Nguyễn Văn Số").exists()

    response = worker(officer_client.post, reverse("exchange:job_commit"), {"luot": job.pk})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.COMMITTED and job.committed_at is not None
    assert Person.objects.filter(full_name__startswith="Nguyễn Văn Số").count() == 2
    assert AuditEvent.objects.filter(action="person.create", actor=officer_a, source="import").count() == 2
    # A second click commits nothing more.
    worker(officer_client.post, reverse("exchange:job_commit"), {"luot": job.pk})
    assert Person.objects.filter(full_name__startswith="Nguyễn Văn Số").count() == 2
    page = officer_client.get(job_url(job)).content.decode()
    assert "Ghi vào hệ thống" not in page.split("</nav>", 1)[1].split("Đã ghi vào hệ thống")[0]


def test_a_file_with_a_bad_row_shows_the_error_report(officer_client, city, worker):
    data = workbook_bytes(
        people_rows(
            [cid(1980), "Nguyễn Văn An", "Nam", "17/05/1980", "HN-BADINH"],
            [cid(1981), "Trần Văn Bình", "Nam", "30/02/1981", "HN-BADINH"],
        )
    )
    worker(upload, officer_client, data)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID and job.error_count == 1
    page = officer_client.get(job_url(job)).content.decode()
    assert "Ngày «30/02/1981» không tồn tại (kiểm tra ngày và tháng)." in page
    assert 'data-testid="commit-form"' not in page
    report = officer_client.get(f"{reverse('exchange:job_errors')}?luot={job.pk}")
    assert report["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content))).active.iter_rows(values_only=True))
    assert rows[2] == ("Dòng", "Ô", "Cột", "Mức độ", "Nội dung")
    assert rows[3] == (3, "D3", "Ngày sinh", "Lỗi", "Ngày «30/02/1981» không tồn tại (kiểm tra ngày và tháng).")
    # A commit of an invalid job is refused.
    worker(officer_client.post, reverse("exchange:job_commit"), {"luot": job.pk})
    assert not Person.objects.filter(full_name="Nguyễn Văn An").exists()


def test_a_refused_file_says_why(officer_client, city, worker):
    worker(upload, officer_client, b"not a workbook", name="danh-sach.csv")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    assert "Tệp không phải là bảng tính Excel (.xlsx)." in officer_client.get(job_url(job)).content.decode()


def test_jobs_belong_to_their_user(client, officer_client, officer_a, city, worker):
    worker(upload, officer_client, good_file(1))
    job = ImportJob.objects.get()
    other = f.make_user("other_officer", grants=[(city["ward_a"], "officer")])
    client.force_login(other)
    for name in ("exchange:job", "exchange:job_progress", "exchange:job_errors"):
        assert client.get(f"{reverse(name)}?luot={job.pk}").status_code == 404
        assert client.get(f"{reverse(name)}?luot=nope").status_code == 404
    assert client.post(reverse("exchange:job_commit"), {"luot": job.pk}).status_code == 404
    assert "can-bo.xlsx" not in client.get(reverse("exchange:home")).content.decode()


def test_a_reader_cannot_upload(client, reader, city):
    client.force_login(reader)
    assert "chỉ có quyền xem" in client.get(reverse("exchange:home")).content.decode()
    assert upload(client, good_file(1)).status_code == 403
    assert not ImportJob.objects.exists()


def test_home_lists_templates_and_jobs_in_constant_queries(officer_client, officer_a, city, django_assert_max_num_queries):
    def jobs(n):
        for i in range(n):
            ImportJob.objects.create(user=officer_a, kind="people", filename=f"tep-{i}.xlsx", content=b"x")

    jobs(1)
    with django_assert_max_num_queries(6) as few:
        page = officer_client.get(reverse("exchange:home")).content.decode()
    assert "tep-0.xlsx" in page and "?loai=people" in page and "?loai=units" in page
    jobs(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        officer_client.get(reverse("exchange:home"))


def test_template_download(officer_client, db):
    response = officer_client.get(f"{reverse('exchange:template')}?loai=assignments")
    assert response.status_code == 200
    assert 'filename="mau-nhap-qua-trinh-cong-tac.xlsx"' in response["Content-Disposition"]
    assert officer_client.get(f"{reverse('exchange:template')}?loai=nope").status_code == 404


def test_export_is_scoped_and_reimports(officer_client, officer_a, city, worker):
    f.make_person(city["cell_a"], "Nguyễn Văn An")
    f.make_person(city["committee_b"], "Bùi Thị Bê", sex="F", birth_date=dt.date(1982, 3, 4))
    url = reverse("exchange:export")
    assert officer_client.get(f"{url}?loai=people&don_vi={city['ward_b'].pk}").status_code == 404
    assert officer_client.get(f"{url}?loai=people&don_vi=987654").status_code == 404
    form = officer_client.get(url)
    assert form.status_code == 200 and "Đảng ủy phường Ba Đình" in form.content.decode()
    response = officer_client.get(f"{url}?loai=people&don_vi={city['ward_a'].pk}")
    assert response.status_code == 200 and "xuat-can-bo-HN-BADINH-" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    worker(upload, officer_client, data, name="xuat.xlsx")
    job = ImportJob.objects.get()
    assert (job.status, job.total_rows, job.unchanged_count) == (ImportJob.Status.CHECKED, 1, 1)


# The background path ---------------------------------------------------------------------------


def test_even_a_small_file_runs_as_a_background_task(officer_client, city, worker, django_assert_max_num_queries):
    """The upload request stores the file and queues the job: it never reads the workbook."""
    with django_assert_max_num_queries(12):
        response = upload(officer_client, good_file(1))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and (job.status, job.total_rows, job.task_id) == (ImportJob.Status.QUEUED, None, "")
    ImportJob.objects.all().delete()

    worker(upload, officer_client, good_file(3))
    job = ImportJob.objects.get()
    assert job.background and job.task_id
    assert (job.status, job.total_rows, job.processed_rows) == (ImportJob.Status.CHECKED, 3, 3)
    worker(officer_client.post, reverse("exchange:job_commit"), {"luot": job.pk})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.COMMITTED and job.stage == ImportJob.Stage.COMMIT
    assert Person.objects.filter(full_name__startswith="Nguyễn Văn Số").count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_and_its_worker(client):
    """With the real backend the job waits in the queue, the page polls its progress, and
    `canbo db_worker` runs it."""
    from django_tasks_db.models import DBTaskResult

    root = f.make_unit("Đảng bộ Thành phố Hà Nội", kind="provincial_committee", code="HN")
    ward = f.make_unit("Đảng ủy phường Ba Đình", parent=root, code="HN-BADINH")
    officer = f.make_user("officer_q", grants=[(ward, "officer")])
    client.force_login(officer)
    upload(client, good_file(3))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.QUEUED and DBTaskResult.objects.filter(pk=job.task_id).exists()
    progress = client.get(f"{reverse('exchange:job_progress')}?luot={job.pk}")
    assert progress.status_code == 200 and "0 / ? dòng" in progress.content.decode()
    assert 'hx-trigger="every 1s"' in client.get(job_url(job)).content.decode()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    job.refresh_from_db()
    assert (job.status, job.processed_rows) == (ImportJob.Status.CHECKED, 3)
    done = client.get(f"{reverse('exchange:job_progress')}?luot={job.pk}")
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
