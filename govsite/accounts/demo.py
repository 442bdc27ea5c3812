"""The demo password (演示口令): published in the README, so it is accepted only where GOVSITE_ALLOW_DEMO is
on (`validators.DemoPasswordValidator`) and an account still holding it elsewhere must change it
(`services`). A module of its own so that both read it without importing each other."""

DEMO_PASSWORD = "Demo-2026!"
