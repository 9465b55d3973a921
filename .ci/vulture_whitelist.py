"""Names vulture cannot see used: hooks that Textual, Typer, Click and fpdf call by
name, commands registered by name in commands/__init__.py, and attributes of
library objects set for their effect. A name here is used; dead code is not listed
(.ci/run fails on any other unused name)."""

# ruff: noqa
_.collect_usage_pieces  # referral_cli/app.py
main_options  # referral_cli/app.py
TITLE  # referral_cli/call/app.py
ENABLE_COMMAND_PALETTE  # referral_cli/call/app.py
CSS  # referral_cli/call/app.py
BINDINGS  # referral_cli/call/app.py
_.last_slip  # referral_cli/call/app.py
_.compose  # referral_cli/call/app.py
_.on_mount  # referral_cli/call/app.py
_.on_input_submitted  # referral_cli/call/app.py
_.on_resize  # referral_cli/call/app.py
_.max_height  # referral_cli/call/app.py
_.max_height  # referral_cli/call/app.py
_.action_move  # referral_cli/call/app.py
_.action_help  # referral_cli/call/app.py
_.action_copy_phone  # referral_cli/call/app.py
_.action_bar  # referral_cli/call/app.py
_.action_slip  # referral_cli/call/app.py
_.last_slip  # referral_cli/call/app.py
_.action_new_caller  # referral_cli/call/app.py
_._clipboard  # referral_cli/call/app.py
_.action_leave  # referral_cli/call/app.py
_._clipboard  # referral_cli/call/app.py
_.on_key  # referral_cli/call/app.py
_.on_option_list_option_selected  # referral_cli/call/app.py
_.action_screenshot  # referral_cli/call/app.py
is_sealed  # referral_cli/call/privacy_guard.py
BINDINGS  # referral_cli/call/slip_dialog.py
_.compose  # referral_cli/call/slip_dialog.py
_.on_mount  # referral_cli/call/slip_dialog.py
_.on_select_changed  # referral_cli/call/slip_dialog.py
_.on_input_submitted  # referral_cli/call/slip_dialog.py
_.on_button_pressed  # referral_cli/call/slip_dialog.py
_.action_cancel  # referral_cli/call/slip_dialog.py
BINDINGS  # referral_cli/call/widgets.py
_.on_focus  # referral_cli/call/widgets.py
_.on_blur  # referral_cli/call/widgets.py
_.action_move  # referral_cli/call/widgets.py
_.action_remove  # referral_cli/call/widgets.py
_.action_leave  # referral_cli/call/widgets.py
BINDINGS  # referral_cli/call/widgets.py
_.compose  # referral_cli/call/widgets.py
_.on_mount  # referral_cli/call/widgets.py
_.action_close  # referral_cli/call/widgets.py
__getattr__  # referral_cli/cli.py
call  # referral_cli/commands/call.py
config_show  # referral_cli/commands/config.py
config_set  # referral_cli/commands/config.py
config_unset  # referral_cli/commands/config.py
coverage  # referral_cli/commands/coverage.py
publish  # referral_cli/commands/publish.py
check_publication  # referral_cli/commands/publish.py
taxonomy_command  # referral_cli/commands/taxonomy.py
verify  # referral_cli/commands/verify.py
_.model_fields  # referral_cli/format/definition.py
fix  # referral_cli/format/definition.py
CODES  # referral_cli/format/definition.py
towns  # referral_cli/geo/gazetteer.py
_.all_targets  # referral_cli/hsds/mapping.py
_._fuzzy_cache  # referral_cli/hsds/terms.py
parse_files  # referral_cli/index/parsing.py
left_out_count  # referral_cli/search/rules.py
_.footer  # referral_cli/slips/render_pdf.py
_.flavor  # referral_cli/slips/webfonts.py
_.name_IDs  # referral_cli/slips/webfonts.py
_.notdef_outline  # referral_cli/slips/webfonts.py
_._handle_exception  # referral_cli/call/app.py (Textual calls it)
_._return_code  # referral_cli/call/app.py (Textual reads it)
