"""The compliance app's API endpoints under /api/v1/ (namespace `api`, included by `config/urls.py`); the rule check
of one prospective message needs the sender, so it lives with messaging (`messaging/api/urls.py`)."""

from django.urls import path

from compliance.api import consents, opt_outs, setup

urlpatterns = [
    path("opt-outs", opt_outs.OptOutListView.as_view(), name="opt_outs"),
    path("opt-outs/import", opt_outs.OptOutImportView.as_view(), name="opt_outs_import"),
    path("opt-outs/export", opt_outs.OptOutExportView.as_view(), name="opt_outs_export"),
    path("opt-outs/<str:number>", opt_outs.OptOutHistoryView.as_view(), name="opt_out"),
    path("opt-outs/<str:number>/lift", opt_outs.OptOutLiftView.as_view(), name="opt_out_lift"),
    path("consents", consents.ConsentListView.as_view(), name="consents"),
    path("compliance/settings", setup.SettingsView.as_view(), name="compliance_settings"),
    path("compliance/keywords", setup.KeywordListView.as_view(), name="compliance_keywords"),
    path("compliance/keywords/<str:word>", setup.KeywordDetailView.as_view(), name="compliance_keyword"),
    path(
        "compliance/keywords/<str:word>/restore", setup.KeywordRestoreView.as_view(), name="compliance_keyword_restore"
    ),
    path("compliance/replies", setup.ReplyListView.as_view(), name="compliance_replies"),
    path("compliance/replies/<str:kind>/<str:language>", setup.ReplyDetailView.as_view(), name="compliance_reply"),
    path("compliance/reviews", setup.ReviewListView.as_view(), name="compliance_reviews"),
    path(
        "compliance/reviews/<int:review_id>/decide", setup.ReviewDecideView.as_view(), name="compliance_review_decide"
    ),
    path("compliance/rules", setup.RuleListView.as_view(), name="compliance_rules"),
]
