"""The messaging app's pages on tenant hosts (namespace `ui`, included by `config/urls.py`)."""

from django.urls import path

from messaging.views import contact_imports, contact_lists, contacts, dashboard, plans, senders, tools, wizard

urlpatterns = [
    path("contacts/", contacts.contact_list, name="contacts"),
    path("contacts/add/", contacts.contact_add, name="contact_add"),
    path("contacts/bulk/", contacts.contacts_bulk, name="contacts_bulk"),
    path("contacts/export.csv", contacts.contacts_export_csv, name="contacts_export"),
    path("contacts/<int:contact_id>/", contacts.contact_detail, name="contact"),
    path("contacts/<int:contact_id>/delete/", contacts.contact_delete, name="contact_delete"),
    path("contacts/lists/", contact_lists.list_index, name="contact_lists"),
    path("contacts/lists/add/", contact_lists.list_add, name="contact_list_add"),
    path("contacts/lists/<int:list_id>/", contact_lists.list_detail, name="contact_list"),
    path("contacts/lists/<int:list_id>/delete/", contact_lists.list_delete, name="contact_list_delete"),
    path("contacts/imports/", contact_imports.import_index, name="contact_imports"),
    path("contacts/imports/upload/", contact_imports.import_upload, name="contact_import_upload"),
    path("contacts/imports/<int:import_id>/", contact_imports.import_page, name="contact_import"),
    path("contacts/imports/<int:import_id>/start/", contact_imports.import_start, name="contact_import_start"),
    path("contacts/imports/<int:import_id>/cancel/", contact_imports.import_cancel, name="contact_import_cancel"),
    path("contacts/imports/<int:import_id>/progress/", contact_imports.import_progress, name="contact_import_progress"),
    path("contacts/imports/<int:import_id>/rejects.csv", contact_imports.import_rejects, name="contact_import_rejects"),
    path("senders/", senders.sender_list, name="senders"),
    path("senders/add/", senders.sender_add, name="sender_add"),
    path("senders/<int:sender_id>/registration/", senders.sender_registration, name="sender_registration"),
    path("senders/pools/add/", senders.pool_add, name="pool_add"),
    path("senders/sync/", senders.senders_sync, name="senders_sync"),
    path("senders/buy/", senders.number_buy, name="number_buy"),
    path("senders/test/", senders.sender_test_send, name="sender_test_send"),
    path("senders/wizard/", wizard.sender_wizard, name="sender_wizard"),
    path("senders/plans/<int:plan_id>/", plans.sender_plan, name="sender_plan"),
    path("senders/plans/<int:plan_id>/provision/", plans.sender_plan_provision, name="sender_plan_provision"),
    path("tools/segments/", tools.segments_tool, name="segments_tool"),
    path("tools/segments.json", tools.segments_preview, name="segments_preview"),
    path("tools/throughput/", tools.throughput_tool, name="throughput_tool"),
    path("", dashboard.dashboard, name="dashboard"),
]
