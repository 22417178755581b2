"""Admin: import runs and files (read-only records), IATI activities, the pillar mapping table."""

from django.contrib import admin

from pledgewatch.iati.models import IatiActivity, ImportedFile, ImportRun, PillarRule


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnly):
    list_display = ["id", "started_at", "finished_at", "status"]
    list_filter = ["status"]


@admin.register(ImportedFile)
class ImportedFileAdmin(ReadOnly):
    list_display = ["path", "status", "version", "activities", "finished_at"]
    list_filter = ["status", "version"]
    search_fields = ["path", "sha256"]


@admin.register(IatiActivity)
class IatiActivityAdmin(ReadOnly):
    list_display = ["identifier", "commitment", "version", "linked", "updated_at"]
    list_filter = ["version", "linked"]
    search_fields = ["identifier"]
    raw_id_fields = ["commitment", "file"]


@admin.register(PillarRule)
class PillarRuleAdmin(admin.ModelAdmin):
    list_display = ["initiative", "order", "dac_prefix", "keywords", "pillar", "focus_area", "note"]
    list_editable = ["order", "dac_prefix", "pillar", "focus_area"]
    list_filter = ["initiative", "pillar"]
    search_fields = ["dac_prefix", "keywords", "note"]
