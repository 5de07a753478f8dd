"""The compliance app's pages on tenant hosts (namespace `ui`, included by `config/urls.py`); the rule-check form
needs the senders, so it lives with messaging (`messaging/urls.py`)."""

from django.urls import path

from compliance.views import consents, opt_outs, reviews, setup

urlpatterns = [
    path("compliance/opt-outs/", opt_outs.opt_out_list, name="opt_outs"),
    path("compliance/opt-outs/add/", opt_outs.opt_out_add, name="opt_out_add"),
    path("compliance/opt-outs/import/", opt_outs.opt_out_import, name="opt_out_import"),
    path("compliance/opt-outs/export.csv", opt_outs.opt_out_export, name="opt_outs_export"),
    path("compliance/opt-outs/<str:number>/", opt_outs.opt_out_history, name="opt_out"),
    path("compliance/opt-outs/<str:number>/lift/", opt_outs.opt_out_lift, name="opt_out_lift"),
    path("compliance/consents/", consents.consent_list, name="consents"),
    path("compliance/consents/add/", consents.consent_add, name="consent_add"),
    path("compliance/keywords/", setup.keyword_list, name="compliance_keywords"),
    path("compliance/keywords/add/", setup.keyword_add, name="compliance_keyword_add"),
    path("compliance/keywords/<str:word>/remove/", setup.keyword_remove, name="compliance_keyword_remove"),
    path("compliance/keywords/<str:word>/restore/", setup.keyword_restore, name="compliance_keyword_restore"),
    path("compliance/replies/", setup.reply_set, name="compliance_reply_set"),
    path("compliance/settings/", setup.settings_page, name="compliance_settings"),
    path("compliance/settings/save/", setup.settings_save, name="compliance_settings_save"),
    path("compliance/reviews/", reviews.review_list, name="compliance_reviews"),
    path("compliance/reviews/<int:review_id>/decide/", reviews.review_decision, name="compliance_review_decide"),
]
