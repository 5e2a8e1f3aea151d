"""The demo register: a user for every role, categories, suppliers with their
contacts, contracts in every status, and a few documents.

Used by `manage.py seed_demo` (demo/management/commands). Safe to run twice:
each row is looked up by its natural key (username, category name, supplier
name, contact name within its supplier, contract reference) and created only
when it is missing; rows already there are left exactly as they are. Dates are
relative to the day of the first run, so the register always has contracts
ending soon.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import User
from contracts import services
from contracts.models import Category, Contract, ContractDocument, Escalation
from contracts.services.saved_views import saved_view_save
from core.audit import history_user_set
from core.dates import add_months
from demo.documents import seed_documents
from demo.escalations import seed_escalations
from suppliers.models import Supplier, SupplierContact, SupplierInformation

PASSWORD = "demo-pass-2026"  # noqa: S105 - published on purpose: every demo user logs in with it
SITE_URL = "http://127.0.0.1:8000"
# The reserved .example top-level domain: no demo address can reach a real inbox or site.
STAFF_EMAIL_DOMAIN = "force.police.example"
ADMINISTRATOR = "Administrator"

Status, Route = Contract.Status, Contract.ProcurementRoute
ACTIVE, DRAFT, EXPIRED, TERMINATED = Status.ACTIVE, Status.DRAFT, Status.EXPIRED, Status.TERMINATED

# fmt: off
# username, first name, last name, job title, department, role
USERS = (
    ("procurement", "Priya", "Sharma", "Senior Procurement Officer", "Procurement Unit", roles.PROCUREMENT),
    ("oco1", "James", "Whitfield", "Fleet Manager", "Logistics Services", roles.OCO),
    ("oco2", "Aisha", "Khan", "ICT Service Delivery Manager", "Digital Services", roles.OCO),
    ("oco3", "Gareth", "Llewellyn", "Custody and Forensic Services Manager", "Criminal Justice", roles.OCO),
    ("sro1", "Helen", "Marsh", "Head of Estates", "Estates and Facilities", roles.SRO),
    ("sro2", "David", "Okafor", "Director of Finance", "Finance", roles.SRO),
    ("admin", "Tom", "Barker", "Systems Administrator", "Digital Services", ADMINISTRATOR),
)

# name, description, cost centre of the force's budget for it
CATEGORIES = (
    ("Fleet", "Vehicles: leasing, conversion, maintenance, tyres, telematics and recovery.", "FL2100"),
    ("ICT", "Hardware, software, licences, networks and managed ICT services.", "IT3100"),
    ("Estates and facilities", "Buildings: maintenance, cleaning, security and grounds.", "ES4100"),
    ("Forensics", "Forensic science, laboratory and digital forensic services.", "FS5200"),
    ("Custody", "Custody healthcare, detainee care and custody suite services.", "CJ5100"),
    ("Uniform and equipment", "Uniform, footwear, protective and operational equipment.", "LG2300"),
    ("Professional services", "Legal advice, consultancy, interpreting and occupational health.", "CP6100"),
    ("Communications", "Radio, telephony, public information and media monitoring.", "CC7100"),
)

# name, Companies House number, VAT number, address, website, status
SUPPLIERS = (
    ("Pennine Fleet Solutions Ltd", "04872316", "GB526018119",
        "Unit 7, Calder Park, Wakefield WF2 7AW", "https://www.penninefleet.example", Supplier.Status.ACTIVE),
    ("Marlow Blue Light Vehicles Ltd", "08341295", "GB590830179",
        "Globe Business Park, Marlow SL7 1HY", "https://www.marlowbluelight.example", Supplier.Status.ACTIVE),
    ("Wessex Vehicle Recovery Ltd", "05219876", "",
        "Mill Lane Depot, Yeovil BA20 2PJ", "https://www.wessexrecovery.example", Supplier.Status.ACTIVE),
    ("Ridgeway Tyres and Autocare Ltd", "09650217", "GB661318685",
        "22 Ridgeway Road, Swindon SN2 2QE", "https://www.ridgewaytyres.example", Supplier.Status.ACTIVE),
    ("Thornbury Uniform Supplies Ltd", "06611890", "GB391390974",
        "Thornbury Mills, Huddersfield HD1 3LT", "https://www.thornburyuniform.example", Supplier.Status.ACTIVE),
    ("Kestrel Protective Equipment Ltd", "NI612345", "GB960308279",
        "3 Channel Wharf, Belfast BT3 9DT", "https://www.kestrelprotective.example", Supplier.Status.ACTIVE),
    ("Albion Estates Maintenance Ltd", "05566123", "GB462819471",
        "Albion House, 40 Gelderd Road, Leeds LS12 6HJ", "https://www.albionestates.example", Supplier.Status.ACTIVE),
    ("Redbrick Facilities Management plc", "03987241", "GB821993552",
        "1 Redbrick Square, Manchester M1 4BT", "https://www.redbrickfm.example", Supplier.Status.ACTIVE),
    ("Sentinel Body Worn Systems Ltd", "09217784", "GB181909388",
        "Sentinel Court, Aztec West, Bristol BS32 4TD", "https://www.sentinelbws.example", Supplier.Status.ACTIVE),
    ("Harrowgate Digital Services Ltd", "11029384", "GB786579791",
        "5th Floor, 2 Colmore Square, Birmingham B4 6AJ", "https://www.harrowgatedigital.example",
        Supplier.Status.ACTIVE),
    ("Vantage Security Systems Ltd", "09988123", "",
        "Unit 12, Trident Park, Leicester LE4 9LE", "https://www.vantagesecurity.example", Supplier.Status.ACTIVE),
    ("Beacon Radio Communications Ltd", "04455321", "GB543231910",
        "Beacon House, Pitt Street, Sheffield S1 4DL", "https://www.beaconradio.example", Supplier.Status.ACTIVE),
    ("Quayside Print and Design Ltd", "07765432", "",
        "8 Quayside, Newcastle upon Tyne NE1 3DX", "https://www.quaysideprint.example", Supplier.Status.INACTIVE),
    ("Brightline Media Monitoring Ltd", "11457320", "GB787789379",
        "14 Bedford Row, London WC1R 4ED", "https://www.brightlinemedia.example", Supplier.Status.ACTIVE),
    ("Lexington Legal and Advisory LLP", "OC412905", "GB287921752",
        "30 St Paul's Square, Birmingham B3 1QZ", "https://www.lexingtonlegal.example", Supplier.Status.ACTIVE),
    ("Greyfriars Consulting Ltd", "06123789", "",
        "12 Greyfriars Walk, Reading RG1 1NB", "https://www.greyfriarsconsulting.example", Supplier.Status.DISSOLVED),
    ("Meridian Toxicology Laboratories Ltd", "07193458", "GB421809608",
        "Meridian Science Park, Nottingham NG7 2RU", "https://www.meridiantox.example", Supplier.Status.ACTIVE),
    ("Caledonian Forensic Services Ltd", "SC402187", "GB792908134",
        "9 Lochside Avenue, Edinburgh EH12 9DJ", "https://www.caledonianforensic.example", Supplier.Status.ACTIVE),
    ("CustodyCare Health Partners LLP", "OC398112", "",
        "Suite 4, Kings Court, Liverpool L2 3AZ", "https://www.custodycarehealth.example", Supplier.Status.ACTIVE),
    ("Ashdown Translation and Interpreting Ltd", "08877312", "GB203390740",
        "3 Ashdown Mews, Crawley RH10 1BW", "https://www.ashdowninterpreting.example", Supplier.Status.ON_HOLD),
)

# supplier, name, role, phone (Ofcom's ranges reserved for drama: no real line rings)
SUPPLIER_CONTACTS = (
    ("Pennine Fleet Solutions Ltd", "Mark Haworth", "Account Director", "0113 496 0142"),
    ("Pennine Fleet Solutions Ltd", "Leanne Booth", "Service Desk Lead", "0113 496 0587"),
    ("Marlow Blue Light Vehicles Ltd", "Stephen Pryce", "Contracts Manager", "0118 496 0321"),
    ("Wessex Vehicle Recovery Ltd", "Dawn Pickford", "Operations Manager", "0117 496 0733"),
    ("Ridgeway Tyres and Autocare Ltd", "Imran Qureshi", "Fleet Accounts Manager", "0117 496 0418"),
    ("Thornbury Uniform Supplies Ltd", "Catherine Ellis", "Key Account Manager", "0113 496 0956"),
    ("Thornbury Uniform Supplies Ltd", "Paul Ingham", "Customer Services Manager", "0113 496 0211"),
    ("Kestrel Protective Equipment Ltd", "Ciaran McAllister", "Sales Director", "028 9649 6104"),
    ("Albion Estates Maintenance Ltd", "Richard Noble", "Contract Manager", "0113 496 0678"),
    ("Albion Estates Maintenance Ltd", "Sophie Lang", "Helpdesk Supervisor", "0113 496 0399"),
    ("Redbrick Facilities Management plc", "Joanne Whittaker", "Account Director", "0161 496 0823"),
    ("Sentinel Body Worn Systems Ltd", "Owen Griffiths", "Public Sector Account Manager", "0117 496 0912"),
    ("Sentinel Body Worn Systems Ltd", "Hannah Price", "Technical Support Lead", "0117 496 0267"),
    ("Harrowgate Digital Services Ltd", "Vikram Patel", "Service Delivery Manager", "0121 496 0538"),
    ("Harrowgate Digital Services Ltd", "Emma Carr", "Commercial Manager", "0121 496 0164"),
    ("Vantage Security Systems Ltd", "Neil Dawson", "Installations Manager", "0116 496 0722"),
    ("Beacon Radio Communications Ltd", "Alan Firth", "Account Manager", "0114 496 0451"),
    ("Quayside Print and Design Ltd", "Beth Robson", "Studio Manager", "0191 498 0276"),
    ("Brightline Media Monitoring Ltd", "Tom Ashworth", "Client Services Director", "020 7946 0382"),
    ("Lexington Legal and Advisory LLP", "Fiona Grant", "Partner", "0121 496 0901"),
    ("Lexington Legal and Advisory LLP", "Jacob Adeyemi", "Senior Associate", "0121 496 0902"),
    ("Greyfriars Consulting Ltd", "Martin Cole", "Director", "0118 496 0044"),
    ("Meridian Toxicology Laboratories Ltd", "Dr Rebecca Hall", "Laboratory Director", "0115 496 0623"),
    ("Meridian Toxicology Laboratories Ltd", "Sam Turner", "Casework Coordinator", "0115 496 0188"),
    ("Caledonian Forensic Services Ltd", "Alasdair Ross", "Head of Casework", "0131 496 0577"),
    ("CustodyCare Health Partners LLP", "Dr Nadia Hussain", "Clinical Director", "0151 496 0834"),
    ("CustodyCare Health Partners LLP", "Gary Blake", "Contract Manager", "0151 496 0290"),
    ("Ashdown Translation and Interpreting Ltd", "Marta Kowalska", "Bookings Manager", "01632 960415"),
)

# reference, title, supplier,
#     category, status, ends (days from today), term (months), total value (£), procurement route,
#     OCO, SRO, extension options (months), notice period (days)
CONTRACTS = (
    ("CON-2023-001", "Vehicle leasing and fleet maintenance", "Pennine Fleet Solutions Ltd",
        "Fleet", ACTIVE, 420, 60, 8_750_000, Route.FRAMEWORK, "oco1", "sro2", 24, 180),
    ("CON-2024-003", "Blue-light conversion of response vehicles", "Marlow Blue Light Vehicles Ltd",
        "Fleet", ACTIVE, 75, 36, 2_640_000, Route.FRAMEWORK, "oco1", "sro2", 12, 120),
    ("CON-2024-008", "Vehicle recovery and storage", "Wessex Vehicle Recovery Ltd",
        "Fleet", ACTIVE, 160, 36, 465_000, Route.OPEN, "oco1", None, 12, 90),
    ("CON-2023-005", "Fleet telematics and vehicle tracking", "Pennine Fleet Solutions Ltd",
        "Fleet", ACTIVE, 300, 48, 780_000, Route.FRAMEWORK, "oco1", None, 0, 90),
    ("CON-2024-009", "Tyre supply and fitting", "Ridgeway Tyres and Autocare Ltd",
        "Fleet", ACTIVE, 540, 48, 320_000, Route.FRAMEWORK, "oco1", None, 12, 60),
    ("CON-2023-004", "Vehicle livery and graphics", "Marlow Blue Light Vehicles Ltd",
        "Fleet", EXPIRED, -120, 36, 185_000, Route.BELOW_THRESHOLD, "oco1", None, 0, 60),
    ("CON-2025-001", "Short-term vehicle hire", "Pennine Fleet Solutions Ltd",
        "Fleet", ACTIVE, 45, 24, 96_000, Route.BELOW_THRESHOLD, "oco1", None, 0, 30),
    ("CON-2026-003", "Electric vehicle charging infrastructure", "Pennine Fleet Solutions Ltd",
        "Fleet", DRAFT, 1900, 60, 2_100_000, Route.COMPETITIVE_FLEXIBLE, "oco1", "sro2", 24, 90),
    ("CON-2024-011", "Uniform supply and managed service", "Thornbury Uniform Supplies Ltd",
        "Uniform and equipment", ACTIVE, 610, 48, 3_200_000, Route.COLLABORATIVE, "oco1", "sro2", 0, 180),
    ("CON-2022-002", "Body armour (covert and overt)", "Kestrel Protective Equipment Ltd",
        "Uniform and equipment", ACTIVE, 200, 60, 1_450_000, Route.FRAMEWORK, "oco1", "sro2", 0, 180),
    ("CON-2024-006", "Public order protective equipment", "Kestrel Protective Equipment Ltd",
        "Uniform and equipment", ACTIVE, 100, 36, 540_000, Route.FRAMEWORK, "oco1", None, 12, 90),
    ("CON-2023-007", "Police footwear", "Thornbury Uniform Supplies Ltd",
        "Uniform and equipment", EXPIRED, -45, 36, 210_000, Route.OPEN, "oco1", None, 0, 60),
    ("CON-2026-004", "Handcuffs, batons and limb restraints", "Kestrel Protective Equipment Ltd",
        "Uniform and equipment", DRAFT, 1200, 36, 150_000, Route.FRAMEWORK, "oco1", None, 0, 60),
    ("CON-2023-009", "Hard facilities management (planned and reactive)", "Albion Estates Maintenance Ltd",
        "Estates and facilities", ACTIVE, 700, 60, 9_600_000, Route.OPEN, "oco1", "sro1", 24, 180),
    ("CON-2023-012", "Cleaning and hygiene services", "Redbrick Facilities Management plc",
        "Estates and facilities", ACTIVE, 20, 36, 1_350_000, Route.FRAMEWORK, "oco1", "sro1", 12, 90),
    ("CON-2023-006", "Grounds maintenance and winter gritting", "Albion Estates Maintenance Ltd",
        "Estates and facilities", EXPIRED, -60, 36, 260_000, Route.OPEN, "oco1", None, 0, 60),
    ("CON-2026-002", "Security guarding at headquarters", "Redbrick Facilities Management plc",
        "Estates and facilities", DRAFT, 1150, 36, 720_000, Route.COMPETITIVE_FLEXIBLE, None, None, 12, 90),
    ("CON-2022-003", "Fire alarm and suppression systems maintenance", "Albion Estates Maintenance Ltd",
        "Estates and facilities", TERMINATED, -150, 48, 175_000, Route.OPEN, "oco1", None, 0, 90),
    ("CON-2023-002", "Body-worn video cameras and evidence platform", "Sentinel Body Worn Systems Ltd",
        "ICT", ACTIVE, 480, 60, 4_850_000, Route.FRAMEWORK, "oco2", "sro2", 24, 180),
    ("CON-2022-007", "Digital evidence management system", "Sentinel Body Worn Systems Ltd",
        "ICT", ACTIVE, 30, 48, 1_980_000, Route.FRAMEWORK, "oco2", "sro2", 12, 180),
    ("CON-2022-004", "ICT managed service desk and end-user support", "Harrowgate Digital Services Ltd",
        "ICT", ACTIVE, 250, 60, 6_400_000, Route.FRAMEWORK, "oco2", "sro2", 24, 180),
    ("CON-2024-014", "Mobile devices and airtime for officers", "Harrowgate Digital Services Ltd",
        "ICT", ACTIVE, 390, 36, 1_250_000, Route.FRAMEWORK, "oco2", "sro2", 12, 90),
    ("CON-2024-007", "Microsoft 365 licensing (enterprise agreement)", "Harrowgate Digital Services Ltd",
        "ICT", ACTIVE, 130, 36, 2_900_000, Route.FRAMEWORK, "oco2", "sro2", 0, 90),
    ("CON-2023-010", "ANPR camera network maintenance", "Vantage Security Systems Ltd",
        "ICT", ACTIVE, 700, 60, 980_000, Route.FRAMEWORK, "oco2", None, 0, 90),
    ("CON-2025-004", "Cyber security operations centre and incident response", "Harrowgate Digital Services Ltd",
        "ICT", ACTIVE, 560, 36, 5_400_000, Route.COMPETITIVE_FLEXIBLE, "oco2", "sro2", 12, 90),
    ("CON-2026-001", "Mobile data terminals for response vehicles", "Sentinel Body Worn Systems Ltd",
        "ICT", DRAFT, 1500, 48, 1_100_000, Route.COMPETITIVE_FLEXIBLE, None, "sro2", 24, 90),
    ("CON-2021-001", "Legacy crime recording system support", "Harrowgate Digital Services Ltd",
        "ICT", TERMINATED, -200, 60, 850_000, Route.OTHER, "oco2", None, 0, 90),
    ("CON-2024-002", "Laptop and desktop hardware refresh", "Harrowgate Digital Services Ltd",
        "ICT", EXPIRED, -300, 24, 1_600_000, Route.FRAMEWORK, "oco2", "sro2", 0, 30),
    ("CON-2026-005", "Drone (UAS) equipment and maintenance", "Vantage Security Systems Ltd",
        "ICT", DRAFT, 1250, 36, 260_000, Route.DYNAMIC_MARKET, "oco2", None, 12, 60),
    ("CON-2022-005", "Airwave radio terminal maintenance and accessories", "Beacon Radio Communications Ltd",
        "Communications", ACTIVE, 260, 60, 1_750_000, Route.COLLABORATIVE, "oco2", "sro2", 0, 180),
    ("CON-2024-001", "Control room telephony and call recording", "Beacon Radio Communications Ltd",
        "Communications", ACTIVE, 55, 36, 610_000, Route.FRAMEWORK, "oco2", None, 12, 90),
    ("CON-2023-008", "Public information campaigns: design and print", "Quayside Print and Design Ltd",
        "Communications", EXPIRED, -400, 24, 48_000, Route.BELOW_THRESHOLD, "oco2", None, 0, 30),
    ("CON-2025-006", "Media and social media monitoring", "Brightline Media Monitoring Ltd",
        "Communications", ACTIVE, 220, 24, 36_000, Route.BELOW_THRESHOLD, "oco2", None, 0, 30),
    ("CON-2024-013", "Legal advice on employment tribunals", "Lexington Legal and Advisory LLP",
        "Professional services", ACTIVE, 280, 36, 420_000, Route.FRAMEWORK, "oco2", None, 12, 90),
    ("CON-2023-013", "Organisational review of the control room", "Greyfriars Consulting Ltd",
        "Professional services", EXPIRED, -700, 12, 85_000, Route.BELOW_THRESHOLD, "oco2", None, 0, 30),
    ("CON-2023-003", "Forensic toxicology services", "Meridian Toxicology Laboratories Ltd",
        "Forensics", ACTIVE, 150, 48, 2_300_000, Route.FRAMEWORK, "oco3", "sro1", 12, 180),
    ("CON-2024-012", "DNA profiling and forensic biology", "Caledonian Forensic Services Ltd",
        "Forensics", ACTIVE, 640, 48, 5_600_000, Route.FRAMEWORK, "oco3", "sro1", 24, 180),
    ("CON-2024-004", "Digital forensics: mobile phone extraction", "Caledonian Forensic Services Ltd",
        "Forensics", ACTIVE, 85, 36, 890_000, Route.FRAMEWORK, "oco3", None, 12, 90),
    ("CON-2025-008", "Fingerprint consumables and laboratory chemicals", "Meridian Toxicology Laboratories Ltd",
        "Forensics", ACTIVE, 330, 24, 68_000, Route.BELOW_THRESHOLD, "oco3", None, 0, 30),
    ("CON-2023-011", "Forensic collision investigation", "Caledonian Forensic Services Ltd",
        "Forensics", EXPIRED, -30, 36, 420_000, Route.OPEN, "oco3", None, 0, 90),
    ("CON-2022-006", "Sexual assault referral centre forensic medical services", "CustodyCare Health Partners LLP",
        "Forensics", TERMINATED, -90, 48, 1_300_000, Route.OPEN, "oco3", "sro1", 0, 180),
    ("CON-2022-001", "Custody healthcare services", "CustodyCare Health Partners LLP",
        "Custody", ACTIVE, 40, 60, 11_800_000, Route.OPEN, "oco3", "sro1", 24, 180),
    ("CON-2025-002", "Custody detainee meals", "Redbrick Facilities Management plc",
        "Custody", ACTIVE, 410, 36, 240_000, Route.OPEN, "oco3", None, 0, 60),
    ("CON-2025-003", "Custody suite CCTV maintenance", "Vantage Security Systems Ltd",
        "Custody", ACTIVE, 900, 48, 350_000, Route.FRAMEWORK, "oco3", None, 0, 90),
    ("CON-2024-010", "Interpreting and translation services", "Ashdown Translation and Interpreting Ltd",
        "Professional services", ACTIVE, 190, 36, 780_000, Route.FRAMEWORK, "oco3", None, 12, 90),
    ("CON-2024-005", "Occupational health services", "CustodyCare Health Partners LLP",
        "Professional services", ACTIVE, 95, 36, 560_000, Route.OPEN, "oco3", None, 12, 90),
    ("CON-2025-005", "Detainee property bags and custody consumables", "Kestrel Protective Equipment Ltd",
        "Custody", ACTIVE, 565, 36, 24_000, Route.BELOW_THRESHOLD, "oco3", None, 0, 30),
    ("CON-2025-007", "Firearms range maintenance", "Albion Estates Maintenance Ltd",
        "Estates and facilities", ACTIVE, 240, 24, 5_000, Route.BELOW_THRESHOLD, None, None, 0, 30),
    # Procured under the Procurement Act 2023 and ended early (demo/lifecycle.py): its contract termination
    # notice is due.
    ("CON-2025-009", "Custody suite deep cleaning and biohazard response", "Redbrick Facilities Management plc",
        "Custody", TERMINATED, -20, 18, 310_000, Route.COMPETITIVE_FLEXIBLE, "oco3", None, 0, 60),
    # Procured under the Act after section 70 came in (1 Apr 2026): its payments over £30,000 are published.
    ("CON-2026-006", "Custody suite refurbishment and maintenance", "Albion Estates Maintenance Ltd",
        "Custody", ACTIVE, 900, 36, 1_200_000, Route.OPEN, "oco3", "sro1", 12, 90),
)
# fmt: on

COST_CENTRES = {name: cost_centre for name, _description, cost_centre in CATEGORIES}

# The law each contract was procured under follows from its dates (the Procurement Act 2023 for
# procurements begun on or after 24 February 2025; the older contracts stay under the Public Contracts
# Regulations 2015), and below-threshold quotations are not covered. The Act's own procedures began
# after its commencement: their procurement start is recorded, a couple of months before the contract.
ACT_ONLY_ROUTES = (Route.COMPETITIVE_FLEXIBLE, Route.DYNAMIC_MARKET)
PROCUREMENT_LEAD = timedelta(days=60)
# Health services, procured under the light-touch rules.
LIGHT_TOUCH = ("CON-2022-001", "CON-2024-005")


def _inserted(instance, *, by: User | None = None):
    """Validate and insert a new row; its history names `by` as the author."""
    instance.full_clean()
    history_user_set(instance, by)
    instance.save()
    return instance


def _seed_user(username, first_name, last_name, job_title, department, role) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=f"{first_name}.{last_name}@{STAFF_EMAIL_DOMAIN}".lower(),
            job_title=job_title,
            department=department,
            is_budget_holder=role == roles.SRO,
            is_staff=role == ADMINISTRATOR,
            is_superuser=role == ADMINISTRATOR,
        )
        user.set_password(PASSWORD)
        _inserted(user)
    # Only a missing membership is added: adding an existing one would still
    # write an audit (history) row for the user.
    if role != ADMINISTRATOR and not user.groups.filter(name=role).exists():
        user.groups.add(Group.objects.get(name=role))
    return user


def _seed_category(name: str, description: str) -> Category:
    return Category.objects.filter(name=name).first() or _inserted(Category(name=name, description=description))


def _seed_supplier(name, companies_house_number, vat_number, address, website, status, *, by: User) -> Supplier:
    return Supplier.objects.filter(name=name).first() or _inserted(
        Supplier(
            name=name,
            companies_house_number=companies_house_number,
            vat_number=vat_number,
            address=address,
            website=website,
            status=status,
        ),
        by=by,
    )


def _seed_supplier_contact(supplier: Supplier, name: str, role: str, phone: str, *, by: User) -> None:
    if supplier.contacts.filter(name=name).exists():
        return
    domain = supplier.website.removeprefix("https://www.")
    email = f"{name.removeprefix('Dr ').replace(' ', '.').lower()}@{domain}"
    _inserted(SupplierContact(supplier=supplier, name=name, role=role, email=email, phone=phone), by=by)


def _procurement_start(route: str, start_date: date) -> date | None:
    """The day an Act-only procedure began: before the contract, not before the Act."""
    if route not in ACT_ONLY_ROUTES:
        return None
    began = max(start_date - PROCUREMENT_LEAD, settings.PROCUREMENT_ACT_COMMENCEMENT)
    return began if began <= start_date else None


def _contract(row: tuple, *, number: int, today: date, users, suppliers, categories) -> Contract:
    reference, title, supplier, category, status, ends_in, term, total, route, oco, sro, extension, notice = row
    end_date = today + timedelta(days=ends_in)
    start_date = add_months(end_date, -term) + timedelta(days=1)
    total_value = Decimal(total)
    return Contract(
        reference=reference,
        title=title,
        supplier=suppliers[supplier],
        category=categories[category],
        status=status,
        start_date=start_date,
        end_date=end_date,
        extended_end_date=add_months(end_date, extension) if extension else None,
        notice_period_days=notice,
        total_value=total_value,
        # Averaged over the term; a contract shorter than a year spends its total within the year.
        annual_value=(total_value * 12 / max(term, 12)).quantize(Decimal("0.01")),
        cost_centre=COST_CENTRES[category],
        # A draft has no purchase order in the finance system yet.
        finance_reference="" if status == DRAFT else f"AGR-{104000 + 233 * number}",
        procurement_route=route,
        procurement_started_on=_procurement_start(route, start_date),
        light_touch=reference in LIGHT_TOUCH,
        oco=users.get(oco),
        sro=users.get(sro),
    )


# What a finance-system export left behind: the same companies again, spelt its way and without their
# Companies House numbers. The Procurement Unit's "Likely duplicates" list pairs them for merging.
DUPLICATE_SUPPLIERS = (
    ("ALBION ESTATES MAINTENANCE LIMITED", "", "", "Albion House, Gelderd Road, Leeds", "", Supplier.Status.ACTIVE),
    ("REDBRICK FACILITIES MGMT PLC", "", "", "", "", Supplier.Status.ACTIVE),
)
# Public Procurement Organisation Numbers of the suppliers registered on Find a Tender.
PPONS = {
    "Pennine Fleet Solutions Ltd": "PMZV-7732-XXTT",
    "Sentinel Body Worn Systems Ltd": "PQRD-4417-HBWN",
    "Albion Estates Maintenance Ltd": "PLKT-2093-AEMS",
}


def _seed_identities(*, by: User) -> None:
    for name, ppon in PPONS.items():
        supplier = Supplier.objects.filter(name=name, ppon="").first()
        if supplier is not None:
            supplier.ppon = ppon
            history_user_set(supplier, by)
            supplier.save()
    for row in DUPLICATE_SUPPLIERS:
        _seed_supplier(*row, by=by)


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "categories": Category.objects.count(),
        "suppliers": Supplier.objects.count(),
        "supplier contacts": SupplierContact.objects.count(),
        "contracts": Contract.objects.count(),
        "documents": ContractDocument.objects.count(),
        "supplier information": SupplierInformation.objects.count(),
        "escalations": Escalation.objects.count(),
    }


def seed(*, today: date) -> dict[str, User]:
    """Create what is missing of the demo register; returns the demo users by username."""
    users = {row[0]: _seed_user(*row) for row in USERS}
    procurement = users["procurement"]
    categories = {name: _seed_category(name, description) for name, description, _cost_centre in CATEGORIES}
    suppliers = {row[0]: _seed_supplier(*row, by=procurement) for row in SUPPLIERS}
    for supplier, *contact in SUPPLIER_CONTACTS:
        _seed_supplier_contact(suppliers[supplier], *contact, by=procurement)
    _seed_identities(by=procurement)

    references = [row[0] for row in CONTRACTS]
    existing = set(Contract.objects.filter(reference__in=references).values_list("reference", flat=True))
    for number, row in enumerate(CONTRACTS, start=1):
        if row[0] in existing:
            continue
        contract = _contract(row, number=number, today=today, users=users, suppliers=suppliers, categories=categories)
        contract.full_clean()
        services.contract_save(contract=contract, by=procurement)
    seed_documents(references=references, by=procurement)
    seed_escalations(today=today, users=users)
    _seed_saved_views(users)
    return users


def _seed_saved_views(users: dict[str, User]) -> None:
    """A view the Procurement Unit shares with everyone, and one an OCO keeps for herself."""
    saved_view_save(owner=users["procurement"], name="Active, ending soonest", query="status=active", shared=True)
    saved_view_save(owner=users["oco1"], name="My drafts", query="status=draft", shared=False)


# fmt: off
