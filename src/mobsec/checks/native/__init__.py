"""Checks on native libraries (lib/<abi>/*.so): exploit mitigations the ELF declares."""
