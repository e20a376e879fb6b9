"""Agreements and documents get dates the way milestones have them: the first day of the
period, its precision, the phrase as written. ``signed_on`` and ``issued_on`` become ``date``
(kept, not dropped: a date staff entered stays). A date kept this way gets the precision and
phrase of the record's milestone on the same day when there is one (the parser dated it from
that milestone); otherwise only its year is known for sure (the lists showed only the year), so
it becomes that year, never a day the source did not give. The fixtures' new dates reach the
records already loaded through ``ingest``'s migration 0004."""

import datetime

import apps.kb.constraints
import django.db.models.lookups
from django.db import migrations, models


def honest_precision_of_kept_dates(apps, schema_editor):
    Milestone = apps.get_model("kb", "Milestone")
    for model, link in (("Agreement", "agreement"), ("PolicyDocument", "document")):
        Model = apps.get_model("kb", model)
        for record in Model.objects.filter(date__isnull=False):
            same_day = Milestone.objects.filter(**{link: record}, date=record.date).order_by("pk").first()
            if same_day is not None:
                record.date_precision, record.date_text = same_day.date_precision, same_day.date_text[:50]
            else:
                record.date, record.date_precision = datetime.date(record.date.year, 1, 1), "year"
            record.save(update_fields=["date", "date_precision", "date_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0006_source_published_precision"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="agreement",
            options={"ordering": ["name"], "verbose_name": "合作协议", "verbose_name_plural": "合作协议"},
        ),
        migrations.RenameField(model_name="agreement", old_name="signed_on", new_name="date"),
        migrations.RenameField(model_name="historicalagreement", old_name="signed_on", new_name="date"),
        migrations.RenameField(model_name="historicalpolicydocument", old_name="issued_on", new_name="date"),
        migrations.RenameField(model_name="policydocument", old_name="issued_on", new_name="date"),
        migrations.AlterField(
            model_name="agreement",
            name="date",
            field=models.DateField(
                blank=True,
                help_text="原文所说的时间（签订、达成、印发或预计的时间），记时期的第一天，如“去年11月”记为11月1日；原文没说就留空。",
                null=True,
                verbose_name="日期",
            ),
        ),
        migrations.AddField(
            model_name="agreement",
            name="date_precision",
            field=models.CharField(
                blank=True,
                choices=[
                    ("day", "日"),
                    ("late_month", "月底/下旬"),
                    ("month", "月"),
                    ("quarter", "季度"),
                    ("half_year", "半年"),
                    ("year", "年"),
                    ("plan_period", "五年规划期"),
                ],
                help_text="与原文一样精确：原文只说月份就选“月”。没有日期时留空。",
                max_length=12,
                verbose_name="日期精度",
            ),
        ),
        migrations.AddField(
            model_name="agreement",
            name="date_text",
            field=models.CharField(
                blank=True,
                help_text="原文中的日期写法，如“去年11月以来”“今年”。",
                max_length=50,
                verbose_name="原文日期",
            ),
        ),
        migrations.AlterField(
            model_name="historicalagreement",
            name="date",
            field=models.DateField(
                blank=True,
                help_text="原文所说的时间（签订、达成、印发或预计的时间），记时期的第一天，如“去年11月”记为11月1日；原文没说就留空。",
                null=True,
                verbose_name="日期",
            ),
        ),
        migrations.AddField(
            model_name="historicalagreement",
            name="date_precision",
            field=models.CharField(
                blank=True,
                choices=[
                    ("day", "日"),
                    ("late_month", "月底/下旬"),
                    ("month", "月"),
                    ("quarter", "季度"),
                    ("half_year", "半年"),
                    ("year", "年"),
                    ("plan_period", "五年规划期"),
                ],
                help_text="与原文一样精确：原文只说月份就选“月”。没有日期时留空。",
                max_length=12,
                verbose_name="日期精度",
            ),
        ),
        migrations.AddField(
            model_name="historicalagreement",
            name="date_text",
            field=models.CharField(
                blank=True,
                help_text="原文中的日期写法，如“去年11月以来”“今年”。",
                max_length=50,
                verbose_name="原文日期",
            ),
        ),
        migrations.AlterField(
            model_name="historicalpolicydocument",
            name="date",
            field=models.DateField(
                blank=True,
                help_text="原文所说的时间（签订、达成、印发或预计的时间），记时期的第一天，如“去年11月”记为11月1日；原文没说就留空。",
                null=True,
                verbose_name="日期",
            ),
        ),
        migrations.AddField(
            model_name="historicalpolicydocument",
            name="date_precision",
            field=models.CharField(
                blank=True,
                choices=[
                    ("day", "日"),
                    ("late_month", "月底/下旬"),
                    ("month", "月"),
                    ("quarter", "季度"),
                    ("half_year", "半年"),
                    ("year", "年"),
                    ("plan_period", "五年规划期"),
                ],
                help_text="与原文一样精确：原文只说月份就选“月”。没有日期时留空。",
                max_length=12,
                verbose_name="日期精度",
            ),
        ),
        migrations.AddField(
            model_name="historicalpolicydocument",
            name="date_text",
            field=models.CharField(
                blank=True,
                help_text="原文中的日期写法，如“去年11月以来”“今年”。",
                max_length=50,
                verbose_name="原文日期",
            ),
        ),
        migrations.AlterField(
            model_name="policydocument",
            name="date",
            field=models.DateField(
                blank=True,
                help_text="原文所说的时间（签订、达成、印发或预计的时间），记时期的第一天，如“去年11月”记为11月1日；原文没说就留空。",
                null=True,
                verbose_name="日期",
            ),
        ),
        migrations.AddField(
            model_name="policydocument",
            name="date_precision",
            field=models.CharField(
                blank=True,
                choices=[
                    ("day", "日"),
                    ("late_month", "月底/下旬"),
                    ("month", "月"),
                    ("quarter", "季度"),
                    ("half_year", "半年"),
                    ("year", "年"),
                    ("plan_period", "五年规划期"),
                ],
                help_text="与原文一样精确：原文只说月份就选“月”。没有日期时留空。",
                max_length=12,
                verbose_name="日期精度",
            ),
        ),
        migrations.AddField(
            model_name="policydocument",
            name="date_text",
            field=models.CharField(
                blank=True,
                help_text="原文中的日期写法，如“去年11月以来”“今年”。",
                max_length=50,
                verbose_name="原文日期",
            ),
        ),
        migrations.RunPython(honest_precision_of_kept_dates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="agreement",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("date__isnull", True), ("date_precision", "")),
                    models.Q(
                        ("date__isnull", False),
                        models.Q(
                            ("date_precision", "day"),
                            models.Q(
                                django.db.models.lookups.Exact(apps.kb.constraints.DatePart("date", "day"), 1),
                                ("date_precision", "month"),
                            ),
                            models.Q(
                                django.db.models.lookups.Exact(apps.kb.constraints.DatePart("date", "day"), 21),
                                ("date_precision", "late_month"),
                            ),
                            models.Q(
                                django.db.models.lookups.In(
                                    apps.kb.constraints.DatePart("date", "month"), [1, 4, 7, 10]
                                ),
                                django.db.models.lookups.Exact(apps.kb.constraints.DatePart("date", "day"), 1),
                                ("date_precision", "quarter"),
                            ),
                            models.Q(
                                django.db.models.lookups.In(apps.kb.constraints.DatePart("date", "month"), [1, 7]),
                                django.db.models.lookups.Exact(apps.kb.constraints.DatePart("date", "day"), 1),
                                ("date_precision", "half_year"),
                            ),
                            models.Q(
                                django.db.models.lookups.Exact(apps.kb.constraints.DatePart("date", "month"), 1),
                                django.db.models.lookups.Exact(apps.kb.constraints.DatePart("date", "day"), 1),
                                ("date_precision__in", ["year", "plan_period"]),
                            ),
                            _connector="OR",
                        ),
                    ),
                    _connector="OR",
                ),
                name="kb_agreement_date_matches_precision",
                violation_error_message="日期须为所选精度所指时期的第一天；没有日期时，日期精度留空。",
            ),
        ),
        migrations.AddConstraint(
            model_name="policydocument",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("date__isnull", True), ("date_precision", "")),
                    models.Q(
                        ("date__isnull", False),
                        models.Q(
                            ("date_precision", "day"),
                            models.Q(
                                django.db.models.lookups.Exact(apps.kb.constraints.DatePart("date", "day"), 1),
                                ("date_precision", "month"),
                            ),
                            models.Q(
                                django.db.models.lookups.Exact(apps.kb.constraints.DatePart("date", "day"), 21),
                                ("date_precision", "late_month"),
                            ),
                            models.Q(
                                django.db.models.lookups.In(
                                    apps.kb.constraints.DatePart("date", "month"), [1, 4, 7, 10]
                                ),
                                django.db.models.lookups.Exact(apps.kb.constraints.DatePart("date", "day"), 1),
                                ("date_precision", "quarter"),
                            ),
                            models.Q(
                                django.db.models.lookups.In(apps.kb.constraints.DatePart("date", "month"), [1, 7]),
                                django.db.models.lookups.Exact(apps.kb.constraints.DatePart("date", "day"), 1),
                                ("date_precision", "half_year"),
                            ),
                            models.Q(
                                django.db.models.lookups.Exact(apps.kb.constraints.DatePart("date", "month"), 1),
                                django.db.models.lookups.Exact(apps.kb.constraints.DatePart("date", "day"), 1),
                                ("date_precision__in", ["year", "plan_period"]),
                            ),
                            _connector="OR",
                        ),
                    ),
                    _connector="OR",
                ),
                name="kb_policydocument_date_matches_precision",
                violation_error_message="日期须为所选精度所指时期的第一天；没有日期时，日期精度留空。",
            ),
        ),
    ]
