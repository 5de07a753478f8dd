"""Insights and health incidents across tenants, kept in the public schema: each tenant's hourly rollup copied by its
squash, opt-outs per hour, health thresholds, incidents and Twilio debugger events; the calling codes the rollup
trigger reads a number's country from."""
