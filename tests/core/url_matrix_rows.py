"""The permission matrix's table (tests/core/test_url_matrix.py reads it): one row for every named URL
of the site, with the method to use, the object it is tried on and the answer each persona must get on
alice's object / bob's object. The module docstring of test_url_matrix.py says how to read a row."""

from dataclasses import dataclass

# supplier1 and supplier2: supplier users of CON-A's supplier and of CON-B's supplier (the supplier portal's
# people, with their second factor given). They see the portal (portal:*) and nothing of the register.
PERSONAS = ("anonymous", "alice", "bob", "sam", "priya", "admin", "supplier1", "supplier2")

TABLE = """
url name                                 method  object        anonymous  alice    bob      sam      priya    admin    supplier1supplier2
# --- The register: a contract, its documents, its Kraljic assessment ---------------------------------------------
contracts:detail                         GET     contract      302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
contracts:edit                           FORM    contract      302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
contracts:history                        GET     contract      302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
contracts:document_upload                FORM    contract      302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
contracts:document_download              GET     document      302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
contracts:kraljic_assess                 FORM    contract      302/302    403/404  404/403  403/404  200/200  200/200  403/403  403/403
contracts:kraljic_history                GET     contract      302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
contracts:review_round                   GET     review_round  302/302    403/403  403/403  403/403  200/200  200/200  403/403  403/403
contracts:review_close                   POST    review_round  302/302    403/403  403/403  403/403  302/302  302/302  403/403  403/403
contracts:review_confirm                 POST    review_item   302/302    403/403  403/403  403/403  302/302  302/302  403/403  403/403
contracts:key_supplier                   FORM    supplier      302/302    403/403  403/403  403/403  200/200  200/200  403/403  403/403
contracts:key_supplier_remove            POST    supplier      302/302    403/403  403/403  403/403  302/302  302/302  403/403  403/403
contracts:key_supplier_review            POST    supplier      302/302    403/403  403/403  403/403  302/302  302/302  403/403  403/403
contracts:review_confirm_selected        POST    review_round  302/302    403/403  403/403  403/403  302/404  302/404  403/403  403/403
contracts:saved_view_delete              POST    saved_view    302/302    302/404  404/302  404/404  404/404  404/404  403/403  403/403
# --- Escalations -------------------------------------------------------------------------------------------------
escalations:detail                       GET     escalation    302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
escalations:manage                       FORM    escalation    302/302    403/404  404/403  403/404  200/200  200/200  403/403  403/403
escalations:post                         POST    escalation    302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
escalations:attachment                   GET     thread_post   302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
escalations:raise                        FORM    contract      302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
escalations:supplier_information_create  FORM    supplier      302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
# --- Lifecycle: variations, renewals, ending, savings ------------------------------------------------------------
lifecycle:contract                       GET     contract      302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
lifecycle:variation_create               FORM    contract      302/302    403/404  404/403  403/404  200/200  200/200  403/403  403/403
lifecycle:variation_notice               FORM    variation     302/302    403/404  404/403  403/404  200/200  200/200  403/403  403/403
lifecycle:variation_agree                FORM    variation     302/302    403/404  404/403  403/404  200/200  200/200  403/403  403/403
lifecycle:extension_create               FORM    contract      302/302    403/404  404/403  403/404  200/200  200/200  403/403  403/403
lifecycle:extension_edit                 FORM    option        302/302    403/404  404/403  403/404  200/200  200/200  403/403  403/403
lifecycle:renewal_decide                 FORM    contract      302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
lifecycle:contract_end                   FORM    contract      302/302    403/404  404/403  403/404  200/200  200/200  403/403  403/403
lifecycle:termination_notice             FORM    ending        302/302    403/404  404/403  403/404  200/200  200/200  403/403  403/403
lifecycle:saving_create                  FORM    contract      302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
lifecycle:saving_validate                POST    saving        302/302    403/404  404/403  403/404  302/302  302/302  403/403  403/403
# --- Spreadsheet imports: the Procurement Unit's, each seen by whoever started it ---------------------------------
imports:detail                           GET     import_job    302/302    403/403  403/403  403/403  200/404  200/200  403/403  403/403
imports:confirm                          POST    import_job    302/302    403/403  403/403  403/403  302/404  302/302  403/403  403/403
# --- Invoice payments: the Procurement Unit's pages; a contract's panel follows the contract -------------------------
payments:match                           POST    invoice       302/302    403/403  403/403  403/403  302/302  302/302  403/403  403/403
payments:contract                        GET     contract      302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
# --- Suppliers: seen through the contracts one may see -----------------------------------------------------------
suppliers:detail                         GET     supplier      302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
suppliers:edit                           FORM    supplier      302/302    403/404  404/403  403/404  200/200  200/200  403/403  403/403
suppliers:history                        GET     supplier      302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
timeline:supplier                        GET     supplier      302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
# Merging two records of one supplier: the Procurement Unit's (refused to others before any lookup)
supplier_merge:choose                    GET     supplier      302/302    403/403  403/403  403/403  200/200  200/200  403/403  403/403
supplier_merge:pair                      FORM    supplier_twin 302/302    403/403  403/403  403/403  200/200  200/200  403/403  403/403
# --- Notifications: each its recipient's -------------------------------------------------------------------------
notifications:mark_read                  POST    notification  302/302    302/404  404/302  404/404  404/404  404/404  403/403  403/403
notifications:open                       GET     notification  302/302    302/404  404/302  404/404  404/404  404/404  403/403  403/403
# --- Meetings, actions, the administration log -------------------------------------------------------------------
meetings:contract                        GET     contract      302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
meetings:cadence                         POST    contract      302/302    403/404  404/403  403/404  302/302  302/302  403/403  403/403
meetings:create                          FORM    contract      302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
meetings:log                             GET     contract      302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
meetings:log                             POST    contract      302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
meetings:log_csv                         GET     contract      302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
meetings:detail                          GET     meeting       302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
meetings:edit                            FORM    meeting       302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
meetings:ics                             GET     meeting       302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
meetings:minutes                         GET     meeting       302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
meetings:action_create                   FORM    meeting       302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
meetings:action_edit                     FORM    action        302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
meetings:activity_attachment             GET     activity      302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
meetings:feed                            GET     feed          200/404    200/404  200/404  200/404  200/404  200/404  403/403  403/403
# --- Performance: KPIs, results, milestones, MI reports, Procurement Act notices ---------------------------------
performance:contract                     GET     contract      302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
performance:kpi_create                   FORM    contract      302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
performance:kpi_edit                     FORM    kpi           302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
performance:kpi_history                  GET     kpi           302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
performance:kpi_results                  HTMX    kpi           302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
performance:result_record                POST    kpi           302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
performance:result_correct               FORM    result        302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
performance:result_override              FORM    result        302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
performance:improvement_plan_start      FORM    result        302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
performance:improvement_plan            GET     plan          302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
performance:improvement_plan            POST    plan          302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
performance:remedies                     GET     contract      302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
performance:improvement_notice_create    FORM    contract      302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
performance:improvement_notice           GET     cure_notice   302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
performance:improvement_notice           POST    cure_notice   302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
performance:improvement_notice_published FORM    cure_notice   302/302    403/404  404/403  403/404  200/200  200/200  403/403  403/403
performance:improvement_notice_reply_attachment GET notice_reply 302/302  200/404  404/200  200/404  200/200  200/200  403/403  403/403
performance:service_credit_create        FORM    contract      302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
performance:breach_create                FORM    contract      302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
performance:breach                       GET     breach        302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
performance:breach                       POST    breach        302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
performance:breach_notice_published      FORM    breach        302/302    403/404  404/403  403/404  200/200  200/200  403/403  403/403
performance:evidence                     GET     result        302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
performance:milestones                   GET     contract      302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
performance:milestone_create             FORM    contract      302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
performance:milestone_edit               FORM    milestone     302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
performance:mi_reports                   GET     contract      302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
performance:mi_report_create             FORM    contract      302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
performance:mi_report_edit               FORM    mi_report     302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
performance:mi_report_file               GET     mi_report     302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
exchange:notice                       FORM    notice        302/302    403/403  403/403  403/403  200/200  200/200  403/403  403/403
exchange:change_notice                FORM    variation     302/302    403/403  403/403  403/403  200/200  200/200  403/403  403/403
exchange:termination_notice           FORM    ending        302/302    403/403  403/403  403/403  200/200  200/200  403/403  403/403
# --- The read-only API (signed in with a session here; a token sees the same) ------------------------------------
api:contract-detail                      GET     contract      401/401    200/404  404/200  200/404  200/200  200/200  403/403  403/403
api:supplier-detail                      GET     supplier      401/401    200/404  404/200  200/404  200/200  200/200  403/403  403/403
api:kpi-detail                           GET     kpi           401/401    200/404  404/200  200/404  200/200  200/200  403/403  403/403
api:kpi-result-detail                    GET     result        401/401    200/404  404/200  200/404  200/200  200/200  403/403  403/403
api:meeting-detail                       GET     meeting       401/401    200/404  404/200  200/404  200/200  200/200  403/403  403/403
api:escalation-detail                    GET     escalation    401/401    200/404  404/200  200/404  200/200  200/200  403/403  403/403
# --- The supplier portal: its people see their own supplier's contracts; the force's side invites and verifies ---------------------
portal:home                              GET     -             302        403      403      403      403      403      200      200
portal:contract                          GET     contract      302/302    403/403  403/403  403/403  403/403  403/403  200/404  404/200
portal:document                          GET     document      302/302    403/403  403/403  403/403  403/403  403/403  200/404  404/200
portal:report                            FORM    mi_report     302/302    403/403  403/403  403/403  403/403  403/403  200/404  404/200
portal:welcome                           GET     -             404        404      404      404      404      404      404      404
portal:meeting_ics                       GET     meeting       302/302    403/403  403/403  403/403  403/403  403/403  200/404  404/200
portal:notice                            FORM    escalation    302/302    403/403  403/403  403/403  403/403  403/403  200/404  404/200
portal:notice_attachment                 GET     supplier_post 302/302    403/403  403/403  403/403  403/403  403/403  200/404  404/200
portal:improvement_notice                FORM    cure_notice   302/302    403/403  403/403  403/403  403/403  403/403  200/404  404/200
portal:improvement_notice_attachment     GET     notice_reply  302/302    403/403  403/403  403/403  403/403  403/403  200/404  404/200
portal:password_change                   FORM    -             302        403      403      403      403      403      200      200
supplier_access:improvement_notice_share FORM    cure_notice   302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
supplier_access:escalation_share         FORM    escalation    302/302    200/404  404/200  403/404  200/200  200/200  403/403  403/403
supplier_access:invite                   POST    contact       302/302    302/404  404/302  403/404  302/302  302/302  403/403  403/403
supplier_access:suspend                  POST    contact       302/302    403/404  404/403  403/404  302/302  302/302  403/403  403/403
supplier_access:submission               FORM    submission    302/302    200/404  404/200  200/404  200/200  200/200  403/403  403/403
# --- Pages without an object: one answer per persona -------------------------------------------------------------
home                                     GET     -             302        302      302      302      302      302      302      302
healthz                                  GET     -             200        200      200      200      200      200      200      200
accounts:login                           GET     -             200        302      302      302      302      302      302      302
accounts:logout                          POST    -             302        302      302      302      302      302      302      302
accounts:password_change                 GET     -             302        200      200      200      200      200      403      403
accounts:password_changed                GET     -             302        200      200      200      200      200      403      403
contracts:list                           GET     -             302        200      200      200      200      200      403      403
contracts:create                         GET     -             302        403      403      403      200      200      403      403
contracts:saved_views                    FORM    -             302        200      200      200      200      200      403      403
contracts:export_selected                POST    -             302        302      302      302      302      302      403      403
lifecycle:handover_selected              POST    -             302        403      403      403      200      200      403      403
contracts:kraljic_matrix                 GET     -             302        200      200      200      200      200      403      403
contracts:review_rounds                  GET     -             302        403      403      403      200      200      403      403
contracts:sro_rules                      GET     -             302        403      403      403      200      200      403      403
escalations:list                         GET     -             302        200      200      200      200      200      403      403
lifecycle:renewals                       GET     -             302        403      403      403      200      200      403      403
lifecycle:termination_notices            GET     -             302        302      302      302      302      302      403      403
lifecycle:savings                        GET     -             302        403      403      403      200      200      403      403
lifecycle:training                       GET     -             302        403      403      403      200      200      403      403
lifecycle:training_add                   GET     -             302        403      403      403      200      200      403      403
lifecycle:training_mine                  GET     -             302        200      200      200      200      200      403      403
lifecycle:handover                       GET     -             302        403      403      403      200      200      403      403
imports:start                            GET     -             302        403      403      403      200      200      403      403
imports:template                         GET     -             302        403      403      403      200      200      403      403
suppliers:list                           GET     -             302        200      200      200      200      200      403      403
suppliers:create                         GET     -             302        403      403      403      200      200      403      403
suppliers:duplicates                     GET     -             302        403      403      403      200      200      403      403
suppliers:search                         GET     -             302        200      200      200      200      200      403      403
notifications:list                       GET     -             302        200      200      200      200      200      403      403
notifications:mark_all_read              POST    -             302        302      302      302      302      302      403      403
notifications:dismiss                    POST    -             302        302      302      302      302      302      403      403
notifications:preferences                GET     -             302        200      200      200      200      200      403      403
notifications:operations                 GET     -             302        403      403      403      403      200      403      403
meetings:calendar                        GET     -             302        200      200      200      200      200      403      403
performance:tasks                        GET     -             302        200      200      200      200      200      403      403
accounts:verify                          GET     -             302        200      200      200      200      200      302      302
accounts:two_factor                      GET     -             302        200      200      200      200      200      403      403
accounts:two_factor_setup                FORM    -             302        200      200      200      200      200      200      200
accounts:recovery_codes                  GET     -             302        302      302      302      302      302      403      403
accounts:two_factor_off                  POST    -             302        302      302      302      403      403      403      403
accounts:password_reset                  FORM    -             200        200      200      200      200      200      200      200
accounts:password_reset_sent             GET     -             200        200      200      200      200      200      200      200
accounts:password_reset_confirm          GET     -             200        200      200      200      200      200      200      200
accounts:password_reset_complete         GET     -             200        200      200      200      200      200      200      200
dashboard:procurement                    GET     -             302        403      403      403      200      200      403      403
dashboard:sro                            GET     -             302        403      403      200      403      403      403      403
dashboard:suppliers                      GET     -             302        403      403      403      200      200      403      403
dashboard:my_work                        GET     -             302        200      200      200      200      200      403      403
dashboard:list                           GET     -             302        200      200      200      200      200      403      403
performance:published_kpis               GET     -             302        403      403      403      200      200      403      403
exchange:notices                      GET     -             302        403      403      403      200      200      403      403
exchange:change_notices               GET     -             302        403      403      403      200      200      403      403
exchange:failure_notices              GET     -             302        403      403      403      200      200      403      403
exchange:termination_notices          GET     -             302        403      403      403      200      200      403      403
exchange:payments_compliance_notices  GET     -             302        403      403      403      200      200      403      403
exchange:payments_compliance_notice   GET     -             302        403      403      403      200      200      403      403
ocds:import                              GET     -             302        403      403      403      200      200      403      403
ocds:import_preview                      GET     -             302        403      403      403      302      302      403      403
ocds:import_confirm                      POST    -             302        403      403      403      302      302      403      403
ocds:export                              GET     -             302        403      403      403      200      200      403      403
ocds:market                              FORM    -             302        403      403      403      200      200      403      403
api:api-root                             GET     -             401        200      200      200      200      200      403      403
api:schema                               GET     -             401        200      200      200      200      200      403      403
api:contract-list                        GET     -             401        200      200      200      200      200      403      403
api:supplier-list                        GET     -             401        200      200      200      200      200      403      403
api:kpi-list                             GET     -             401        200      200      200      200      200      403      403
api:kpi-result-list                      GET     -             401        200      200      200      200      200      403      403
api:meeting-list                         GET     -             401        200      200      200      200      200      403      403
api:escalation-list                      GET     -             401        200      200      200      200      200      403      403
admin:index                              GET     -             302        302      302      302      302      200      403      403
payments:late                            GET     -             302        403      403      403      200      200      403      403
payments:import                          GET     -             302        403      403      403      200      200      403      403
payments:template                        GET     -             302        403      403      403      200      200      403      403
payments:unmatched                       GET     -             302        403      403      403      200      200      403      403
payments:compliance                      GET     -             302        403      403      403      200      200      403      403
payments:large                           GET     -             302        403      403      403      200      200      403      403
payments:paid_late                       GET     -             302        200      200      200      200      200      403      403
payments:compliance_approve              POST    -             302        403      403      403      302      302      403      403
"""

# Arguments of pages whose route takes a parameter that is not an object id.
PAGE_KWARGS = {
    "dashboard:list": {"slug": "contracts"},
    "imports:template": {"file_format": "csv"},
    "payments:template": {"file_format": "csv"},
    "payments:compliance_approve": {"period_start": "2026-04-01"},
    "exchange:payments_compliance_notice": {"period_start": "2026-04-01"},
    # A reset link's token is a signature, not an object's id: a wrong one shows "This link no longer works".
    "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "no-such-link"},
    # An invitation's key is a secret: a wrong one shows "This link no longer works" (404).
    "portal:welcome": {"key": "no-such-link"},
}


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    object: str  # a field of Side, or "-" for a page without an object
    expected: dict  # persona -> (status on A, status on B), or (status,) for a page

    @property
    def label(self) -> str:
        return f"{self.name} {self.method}"


def parse_table(table: str) -> list[Row]:
    rows = []
    lines = [line for line in table.strip().splitlines()[1:] if line.strip() and not line.startswith("#")]
    for line in lines:
        name, method, obj, *cells = line.split()
        assert method in ("GET", "HTMX", "POST", "FORM"), f"{name}: unknown method {method}"
        assert len(cells) == len(PERSONAS), f"{name}: {len(cells)} cells for {len(PERSONAS)} personas"
        expected = {
            persona: tuple(int(code) for code in cell.split("/")) for persona, cell in zip(PERSONAS, cells, strict=True)
        }
        width = 1 if obj == "-" else 2
        assert all(len(codes) == width for codes in expected.values()), f"{name}: one answer per object in each cell"
        rows.append(Row(name, method, obj, expected))
    return rows


ROWS = parse_table(TABLE)
