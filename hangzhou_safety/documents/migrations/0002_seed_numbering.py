"""Seed the document types and rights notices (DOMAIN.md B4, data.py) and the derived
abbreviations of the municipal and district bureaus (DOMAIN.md B14). Editable later."""

from django.db import migrations


def seed(apps, schema_editor):
    from hangzhou_safety.documents import data
    from hangzhou_safety.documents.numbering import load_document_types

    load_document_types(apps.get_model("documents", "DocumentType"),
                        apps.get_model("documents", "RightsNotice"))
    Authority = apps.get_model("accounts", "Authority")
    Jurisdiction = apps.get_model("accounts", "Jurisdiction")
    Numbering = apps.get_model("documents", "AuthorityNumbering")
    districts = list(Jurisdiction.objects.filter(kind="district").values_list("code", "name"))
    abbreviations = data.district_abbreviations(districts)
    for authority in Authority.objects.filter(
            kind__in=["municipal_bureau", "district_bureau"]).select_related("jurisdiction"):
        abbr = (data.CITY_ABBREVIATION if authority.kind == "municipal_bureau"
                else abbreviations.get(authority.jurisdiction.code))
        if abbr:
            Numbering.objects.get_or_create(authority=authority, defaults={
                "abbreviation": abbr, "source": data.ABBREVIATION_SOURCE})


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("accounts", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
