from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "canbo.evaluation"
    label = "evaluation"
    verbose_name = "Đánh giá, xếp loại"
