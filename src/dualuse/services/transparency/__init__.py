"""Transparency (Art. 26(2) Reg. (EU) 2021/821, Rec. (EU) 2024/214): the annual report computed from the
recorded decisions, general-authorisation registrations and reports (``annual_report``), each member state's
part reviewed and submitted by its authority, the Union report composed of the parts, and the open data of the
public portal (``opendata``). Kept free of imports (the unit of work imports ``ports``): import the modules."""
