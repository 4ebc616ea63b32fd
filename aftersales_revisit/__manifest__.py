{
    "name": "After-sales Follow-up",
    "summary": "Customer files, follow-up plans in the activities inbox, call logs "
    "and escalations for car dealers and customer-care teams",
    "version": "18.0.1.0.0",
    "category": "Services/After-sales",
    "website": "https://github.com/aftersales-revisit/aftersales_revisit",
    "author": "aftersales_revisit contributors",
    "maintainers": ["aftersales-revisit"],
    "license": "LGPL-3",
    "application": True,
    "depends": ["contacts", "fleet", "mail", "sms", "resource"],
    "data": [
        "security/aftersales_revisit_groups.xml",
        "security/ir.model.access.csv",
        "security/aftersales_revisit_security.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/aftersales_call_topic_data.xml",
        "data/aftersales_revisit_plan_data.xml",
        "views/aftersales_revisit_views.xml",
        "views/aftersales_call_views.xml",
        "views/aftersales_revisit_plan_views.xml",
        "views/res_partner_views.xml",
        "views/fleet_vehicle_views.xml",
        "views/res_config_settings_views.xml",
        "views/aftersales_revisit_menus.xml",
    ],
    "demo": [
        "demo/aftersales_revisit_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "aftersales_revisit/static/src/js/activity_model_patch.js",
        ],
        "web.assets_tests": [
            "aftersales_revisit/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
