"""Printed forms and spreadsheets: the register, the summary sheet, parents' progress
reports and control data, rendered to PDF (fpdf2) and XLSX (openpyxl) from the plain frozen
dataclasses of `exporters.data`. Nothing here touches the database; fpdf2 and openpyxl are
imported inside the functions that need them so the core starts fast."""
