"""Write the fictional sample directory: python scripts/make_sample.py data/resources.yaml

Then copy it to referral_cli/data/resources.yaml (the sample shipped in the package).
"""

import sys

TOWNS = {
    # key: city, county, region, zip, country, lat, lon, area code, tz
    "fresno": ("Fresno", "Fresno County", "CA", "93721", "US", 36.7378, -119.7871, "559", "America/Los_Angeles"),
    "clovis": ("Clovis", "Fresno County", "CA", "93612", "US", 36.8252, -119.7029, "559", "America/Los_Angeles"),
    "visalia": ("Visalia", "Tulare County", "CA", "93291", "US", 36.3302, -119.2921, "559", "America/Los_Angeles"),
    "bakersfield": ("Bakersfield", "Kern County", "CA", "93301", "US", 35.3733, -119.0187, "661", "America/Los_Angeles"),
    "modesto": ("Modesto", "Stanislaus County", "CA", "95354", "US", 37.6391, -120.9969, "209", "America/Los_Angeles"),
    "merced": ("Merced", "Merced County", "CA", "95340", "US", 37.3022, -120.4830, "209", "America/Los_Angeles"),
    "sacramento": ("Sacramento", "Sacramento County", "CA", "95814", "US", 38.5816, -121.4944, "916", "America/Los_Angeles"),
    "losangeles": ("Los Angeles", "Los Angeles County", "CA", "90012", "US", 34.0522, -118.2437, "213", "America/Los_Angeles"),
    "sanjose": ("San Jose", "Santa Clara County", "CA", "95113", "US", 37.3382, -121.8863, "408", "America/Los_Angeles"),
    "oakland": ("Oakland", "Alameda County", "CA", "94612", "US", 37.8044, -122.2712, "510", "America/Los_Angeles"),
    "salinas": ("Salinas", "Monterey County", "CA", "93901", "US", 36.6777, -121.6555, "831", "America/Los_Angeles"),
    "houston": ("Houston", "Harris County", "TX", "77002", "US", 29.7604, -95.3698, "713", "America/Chicago"),
    "sanantonio": ("San Antonio", "Bexar County", "TX", "78205", "US", 29.4241, -98.4936, "210", "America/Chicago"),
    "elpaso": ("El Paso", "El Paso County", "TX", "79901", "US", 31.7619, -106.4850, "915", "America/Denver"),
    "dallas": ("Dallas", "Dallas County", "TX", "75201", "US", 32.7767, -96.7970, "214", "America/Chicago"),
    "austin": ("Austin", "Travis County", "TX", "78701", "US", 30.2672, -97.7431, "512", "America/Chicago"),
    "mcallen": ("McAllen", "Hidalgo County", "TX", "78501", "US", 26.2034, -98.2300, "956", "America/Chicago"),
    "miami": ("Miami", "Miami-Dade County", "FL", "33130", "US", 25.7617, -80.1918, "305", "America/New_York"),
    "homestead": ("Homestead", "Miami-Dade County", "FL", "33030", "US", 25.4687, -80.4776, "305", "America/New_York"),
    "orlando": ("Orlando", "Orange County", "FL", "32801", "US", 28.5383, -81.3792, "407", "America/New_York"),
    "tampa": ("Tampa", "Hillsborough County", "FL", "33602", "US", 27.9506, -82.4572, "813", "America/New_York"),
    "immokalee": ("Immokalee", "Collier County", "FL", "34142", "US", 26.4187, -81.4173, "239", "America/New_York"),
    "tijuana": ("Tijuana", None, "BC", "22000", "MX", 32.5149, -117.0382, "664", "America/Tijuana"),
    "juarez": ("Ciudad Juárez", None, "CHH", "32000", "MX", 31.6904, -106.4245, "656", "America/Ciudad_Juarez"),
    "monterrey": ("Monterrey", None, "NLE", "64000", "MX", 25.6866, -100.3161, "81", "America/Monterrey"),
    "cdmx": ("Ciudad de México", None, "CMX", "06000", "MX", 19.4326, -99.1332, "55", "America/Mexico_City"),
}
STREETS = ["Main St", "Olive Ave", "Tulare St", "Mission Rd", "Oak Ave", "Palm Dr", "Cedar Ln", "Hope Way",
           "Blackstone Ave", "Kings Canyon Rd", "Shields Ave", "Grand Ave", "Calle Reforma", "Av. Juárez"]
WEEKDAYS = {"mon-fri": "09:00-17:00"}
WEEK_SAT = {"mon-fri": "08:30-17:30", "sat": "10:00-14:00"}
EVENINGS = {"mon-thu": "12:00-20:00", "fri": "09:00-13:00"}

# id, name, org, town, services, eligibility, languages, hours, extra
P = []


def add(pid, name, org, town, services, desc, elig=None, langs=("en",), hours=WEEKDAYS, **extra):
    P.append(dict(id=pid, name=name, org=org, town=town, services=services, desc=desc, elig=elig,
                  langs=langs, hours=hours, **extra))


# ---------------- Fresno County (strong network) ----------------
add("valley-youth-safe-house", "Valley Youth Safe House", "Central Valley Freedom Network", "fresno",
    ["temporary-shelter", "counseling", "victim-advocacy"],
    "Emergency shelter for girls aged 12-17 leaving trafficking, with on-site counselling.",
    elig={"ages": [12, 17], "genders": ["female"], "notes": "Referral from CPS, law enforcement or the hotline"},
    langs=("en", "es"), hours="24/7", confidential=True, hotline=True, capacity={"beds": 8},
    intake="Call the 24/7 line; staff arrange a safe pick-up.", cost="free",
    translations={
        "es": {"description": "Refugio de emergencia para niñas de 12 a 17 años que salen de la trata, con consejería en el lugar.",
               "intake": "Llame a la línea 24 horas; el personal organiza que la recojan de forma segura.",
               "cost": "gratis",
               "eligibility_notes": "Derivación de CPS, de las autoridades policiales o de la línea de ayuda"},
        "vi": {"description": "Nơi trú ẩn khẩn cấp cho các em gái từ 12 đến 17 tuổi thoát khỏi nạn buôn người, có tư vấn tại chỗ.",
               "intake": "Gọi đường dây 24/7; nhân viên sẽ sắp xếp đón em an toàn.",
               "cost": "miễn phí",
               "eligibility_notes": "Được giới thiệu bởi CPS, cơ quan thực thi pháp luật hoặc đường dây nóng"},
    })
add("fresno-mens-emergency-shelter", "Fresno Men's Emergency Shelter", "Open Door Housing", "fresno",
    ["temporary-shelter"], "Short-term beds for adult men, including survivors of labour trafficking.",
    elig={"ages": [18, None], "genders": ["male"]}, langs=("en", "es", "pa"), hours="24/7",
    capacity={"beds": 24}, intake="Walk in after 18:00 or call ahead.", cost="free")
add("harbor-house-women", "Harbor House for Women", "Harbor House", "fresno",
    ["temporary-shelter", "long-term-housing", "life-skills"],
    "Safe housing for adult women and their children, from emergency stay to 18 months.",
    elig={"ages": [18, None], "genders": ["female"], "populations": ["families"]}, langs=("en", "es"),
    hours="24/7", confidential=True, hotline=True, capacity={"beds": 16, "family_rooms": 4},
    intake="Phone screening first; an advocate meets you at a public place.", cost="free")
add("central-valley-immigrant-legal", "Central Valley Immigrant Legal Aid", "Valley Justice Project", "fresno",
    ["legal-aid"], "Free immigration lawyers: T-visas, U-visas, vacatur of convictions, work permits.",
    elig={"populations": ["foreign-nationals"]}, langs=("en", "es", "pa", "lo"), hours=WEEKDAYS,
    service_area={"radius_km": 150}, intake="Call for a consultation; bring any papers you have.", cost="free",
    translations={
        "es": {"description": "Abogados de inmigración gratuitos: visas T, visas U, anulación de condenas, permisos de trabajo.",
               "intake": "Llame para una consulta; traiga los papeles que tenga.",
               "cost": "gratis"},
        "vi": {"description": "Luật sư di trú miễn phí: thị thực T, thị thực U, xóa án, giấy phép làm việc.",
               "intake": "Gọi để được tư vấn; mang theo mọi giấy tờ bạn có.",
               "cost": "miễn phí"},
    })
add("fresno-trauma-counseling", "Sierra Trauma Counseling Center", "Sierra Wellness", "fresno",
    ["counseling", "family-support"], "Trauma therapy for survivors and their families, in person or by video.",
    langs=("en", "es", "hi"), hours=EVENINGS, intake="Self-referral by phone.", cost="sliding scale")
add("fresno-human-trafficking-task-force", "Fresno Anti-Trafficking Task Force", "Fresno County Sheriff", "fresno",
    ["law-enforcement", "identification-training"], "Police liaison for survivors who want to report, and training for officers and nurses.",
    langs=("en", "es"), hours=WEEKDAYS, service_area={"radius_km": 100}, intake="Call the liaison officer; a victim advocate can join.",
    cost="free")
add("fresno-community-health-clinic", "Tower District Community Clinic", "Tower Health", "fresno",
    ["medical", "dental"], "Medical and dental care, sexual assault exams and STI testing; no ID needed.",
    langs=("en", "es", "lo"), hours=WEEK_SAT, intake="Walk in or call for a same-day visit.", cost="free or sliding scale")
add("valley-lgbtq-youth-center", "Rainbow Bridge Youth Center", "Rainbow Bridge", "fresno",
    ["outreach", "mentoring", "temporary-shelter"], "Drop-in centre and six emergency beds for LGBTQ young people.",
    elig={"ages": [13, 24], "populations": ["lgbtq"]}, langs=("en", "es"), hours="24/7", confidential=True, hotline=True,
    capacity={"beds": 6}, intake="Come to the drop-in or text the 24/7 line.", cost="free")
add("clovis-job-bridge", "Clovis Job Bridge", "Valley Works", "clovis",
    ["vocational-training", "job-placement", "education"], "Job skills, GED classes and paid internships with local employers.",
    elig={"ages": [16, None]}, langs=("en", "es"), hours=WEEKDAYS, intake="Enrol at an orientation every Monday.", cost="free")
add("fresno-awareness-project", "Know the Signs Fresno", "Central Valley Freedom Network", "fresno",
    ["awareness-education", "coalition", "demand-reduction"], "School and community education; convenes the county anti-trafficking coalition.",
    langs=("en", "es"), hours=WEEKDAYS, intake="Schedule a presentation by e-mail.", cost="free")
add("fresno-family-reunification", "Families Together Fresno", "Valley Family Services", "fresno",
    ["family-support", "childcare", "life-skills"], "Family reunification support, childcare during appointments, budgeting classes.",
    langs=("en", "es", "pa"), hours=WEEKDAYS, intake="Referral from an advocate or self-referral.", cost="free")
add("fresno-spiritual-care", "Hope Chapel Care Team", "Hope Chapel", "fresno",
    ["spiritual-care", "mentoring"], "Spiritual care and survivor mentors from several faith traditions, for anyone who asks.",
    langs=("en",), hours={"tue": "18:00-21:00", "sun": "09:00-13:00"}, intake="Call the chaplain.", cost="free",
    last_verified="2024-11-02")

# ---------------- Tulare County: rescue, no prevention, no shelter for minors ----------------
add("visalia-emergency-shelter", "Visalia Emergency Shelter", "Tulare Crisis Services", "visalia",
    ["temporary-shelter"], "Emergency shelter for adults; families kept together.",
    elig={"ages": [18, None], "populations": ["families"]}, langs=("en", "es"), hours="24/7", confidential=True, hotline=True,
    capacity={"beds": 12}, intake="Call the crisis line any time.", cost="free")
add("tulare-crisis-line", "Tulare County Crisis Line", "Tulare Crisis Services", "visalia",
    ["hotline", "victim-advocacy"], "24/7 crisis line with advocates who can meet survivors at hospitals and police stations.",
    langs=("en", "es"), hours="24/7", hotline=True, service_area={"radius_km": 80, "remote": True},
    intake="Call or text any time.", cost="free")
add("visalia-police-liaison", "Visalia Police Victim Liaison", "Visalia Police Department", "visalia",
    ["law-enforcement"], "A liaison officer for people who want to report exploitation.",
    langs=("en", "es"), hours=WEEKDAYS, intake="Ask for the victim liaison.", cost="free")

# ---------------- Kern County: only adult shelters, no shelter for minors ----------------
add("bakersfield-adult-shelter", "Bakersfield Safe Haven", "Kern Shelter Alliance", "bakersfield",
    ["temporary-shelter", "victim-advocacy"], "Shelter for adult survivors of sexual and labour exploitation.",
    elig={"ages": [18, None]}, langs=("en", "es"), hours="24/7", confidential=True, hotline=True,
    capacity={"beds": 10}, intake="Call first; no walk-ins.", cost="free")
add("kern-farmworker-legal", "Kern Farmworker Legal Center", "Farmworker Justice Alliance", "bakersfield",
    ["legal-aid", "outreach"], "Lawyers and outreach workers for farmworkers in forced or unpaid labour.",
    elig={"trafficking": ["labor"]}, langs=("en", "es", "pa", "fil"), hours=WEEK_SAT, service_area={"radius_km": 120},
    intake="Call or meet outreach workers at the fields.", cost="free")
add("kern-recovery-counseling", "Kern Recovery Counseling", "Kern Behavioral Health", "bakersfield",
    ["counseling", "medical"], "Counselling, substance use treatment and primary care for adults.",
    elig={"ages": [18, None]}, langs=("en", "es"), hours=WEEKDAYS, intake="Call for an assessment.", cost="sliding scale")

# ---------------- Merced: prevention only ----------------
add("merced-schools-prevention", "Safe Choices Merced", "Merced County Office of Education", "merced",
    ["awareness-education", "vulnerability-support"], "Prevention lessons in schools and scholarships for students at risk.",
    elig={"ages": [10, 18]}, langs=("en", "es"), hours=WEEKDAYS, intake="Through school counsellors.", cost="free")
add("merced-food-network", "Merced Community Pantry", "Merced Food Network", "merced",
    ["vulnerability-support"], "Food, clothing and emergency help with rent for families at risk.",
    langs=("en", "es"), hours={"mon-fri": "10:00-16:00", "sat": "09:00-12:00"}, intake="Walk in with any ID or none.", cost="free")

# ---------------- Modesto / Stanislaus ----------------
add("modesto-youth-services", "Stanislaus Youth Haven", "Haven Youth Services", "modesto",
    ["temporary-shelter", "education", "counseling"], "Emergency shelter and school re-enrolment for boys and girls aged 11-17.",
    elig={"ages": [11, 17]}, langs=("en", "es"), hours="24/7", confidential=True, hotline=True, capacity={"beds": 10},
    intake="Call the 24/7 line; police and CPS referrals welcome.", cost="free")
add("modesto-dental-outreach", "Smile Again Dental Van", "Stanislaus Health Partners", "modesto",
    ["dental"], "Mobile dental care, including repair of injuries, for uninsured adults and teens.",
    elig={"ages": [13, None]}, langs=("en", "es"), hours={"wed": "09:00-15:00", "sat": "09:00-13:00"},
    service_area={"radius_km": 60}, intake="Book by phone.", cost="free")

# ---------------- Sacramento (state capital) ----------------
add("california-legal-hotline", "California Survivor Legal Line", "Golden State Legal Collaborative", "sacramento",
    ["legal-aid", "hotline"], "Statewide legal advice by phone for survivors: immigration, custody, record clearing.",
    langs=("en", "es", "vi", "zh", "fil", "ko", "pa"), hours={"mon-fri": "08:00-20:00"},
    service_area={"regions": ["US-CA"], "remote": True}, intake="Call; an attorney calls back within one business day.", cost="free",
    areas=["identification", "rescue-exit", "restoration"])
add("california-policy-coalition", "California Coalition for Freedom", "California Coalition for Freedom", "sacramento",
    ["policy-advocacy", "coalition", "research-monitoring"], "Statewide coalition working on vacatur laws and monitoring their use.",
    langs=("en",), hours=WEEKDAYS, service_area={"regions": ["US-CA"]}, intake="Members join by application.", cost="free")
add("sacramento-transitional-housing", "Capitol Bridges Transitional Housing", "Capitol Bridges", "sacramento",
    ["long-term-housing", "life-skills", "job-placement"], "Up to two years of housing with job coaching for adult women.",
    elig={"ages": [18, None], "genders": ["female"]}, langs=("en", "es", "ru"), hours=WEEKDAYS, confidential=True,
    intake="Referral from a shelter or advocate.", cost="free")

# ---------------- Los Angeles, Bay Area, Salinas ----------------
add("la-youth-drop-in", "Sunset Youth Drop-In", "Angel City Youth", "losangeles",
    ["outreach", "temporary-shelter", "medical"], "Street outreach and a drop-in centre with beds for young people aged 12-24.",
    elig={"ages": [12, 24]}, langs=("en", "es", "ko"), hours="24/7", confidential=True, hotline=True,
    intake="Walk in to the drop-in centre any time.", cost="free")
add("la-survivor-jobs", "Second Chapter Jobs LA", "Second Chapter", "losangeles",
    ["job-placement", "vocational-training", "mentoring"], "Paid internships and survivor mentors for adults rebuilding their lives.",
    elig={"ages": [18, None]}, langs=("en", "es", "ko", "fil"), hours=WEEKDAYS, intake="Attend an information session.", cost="free")
add("la-thai-labor-legal", "Pacific Workers Legal Project", "Pacific Workers", "losangeles",
    ["legal-aid", "victim-advocacy"], "Legal help and case management for people forced to work in factories, restaurants and homes.",
    elig={"trafficking": ["labor"]}, langs=("en", "th", "es", "fil", "zh"), hours=WEEKDAYS, intake="Call for an intake interview.",
    cost="free")
add("san-jose-vietnamese-counseling", "Lotus Counseling San Jose", "Lotus Community Services", "sanjose",
    ["counseling", "family-support"], "Counselling in Vietnamese and English for survivors and families.",
    langs=("vi", "en"), hours=EVENINGS, intake="Call to book; evening appointments.", cost="sliding scale",
    translations={
        "vi": {"description": "Tư vấn tâm lý bằng tiếng Việt và tiếng Anh cho cá nhân và gia đình.",
               "intake": "Gọi để đặt hẹn; có hẹn buổi tối.",
               "cost": "tính theo thu nhập"},
    })
add("oakland-childcare-coop", "East Bay Little Steps", "Little Steps Cooperative", "oakland",
    ["childcare", "education"], "Childcare and ESL classes for parents in recovery.",
    langs=("en", "es", "ar"), hours={"mon-fri": "07:30-18:00"}, intake="Call to enrol.", cost="free")
add("salinas-farmworker-outreach", "Salinas Valley Field Outreach", "Campesino Rights", "salinas",
    ["outreach", "awareness-education"], "Outreach to farmworkers about labour rights and forced labour.",
    elig={"trafficking": ["labor"]}, langs=("es", "en"), hours=WEEK_SAT, service_area={"radius_km": 80}, cost="free",
    intake="Meet the team at the fields or call.")

# ---------------- Texas ----------------
add("texas-survivor-hotline", "Texas Survivor Line", "Lone Star Freedom Alliance", "austin",
    ["hotline", "victim-advocacy"], "Statewide 24/7 line connecting survivors to shelter and advocates.",
    langs=("en", "es", "vi"), hours="24/7", hotline=True, service_area={"regions": ["US-TX"], "remote": True},
    intake="Call or text any time.", cost="free")
add("houston-girls-home", "Bayou Girls' Home", "Bayou Restoration", "houston",
    ["temporary-shelter", "long-term-housing", "education", "counseling"], "Residential care and schooling for girls aged 11-17.",
    elig={"ages": [11, 17], "genders": ["female"], "trafficking": ["sex"]}, langs=("en", "es"), hours="24/7", confidential=True,
    hotline=True, capacity={"beds": 14}, intake="Referral from CPS, police or an advocate.", cost="free")
add("houston-mens-recovery", "Harris Men's Recovery House", "New Path Texas", "houston",
    ["long-term-housing", "vocational-training", "job-placement"], "Transitional housing and job training for adult men.",
    elig={"ages": [18, None], "genders": ["male"]}, langs=("en", "es"), hours=WEEKDAYS, confidential=True,
    intake="Phone screening.", cost="free")
add("houston-medical-clinic", "Gulf Coast Survivor Clinic", "Gulf Coast Health", "houston",
    ["medical", "dental", "counseling"], "Medical, dental and mental health care in one visit.",
    langs=("en", "es", "vi", "ar"), hours=WEEK_SAT, intake="Same-day appointments.", cost="free")
add("houston-task-force", "Houston Area Trafficking Task Force", "Houston Police Department", "houston",
    ["law-enforcement", "identification-training"], "Investigators and victim liaisons; training for hotel and transport staff.",
    langs=("en", "es"), hours=WEEKDAYS, service_area={"radius_km": 120}, intake="Ask for the victim liaison.", cost="free")
add("san-antonio-legal", "Alamo Immigrant Rights Clinic", "Alamo Justice", "sanantonio",
    ["legal-aid", "victim-advocacy"], "T-visa and U-visa help, case management and court accompaniment.",
    elig={"populations": ["foreign-nationals"]}, langs=("en", "es"), hours=WEEKDAYS, intake="Call for a free consultation.", cost="free")
add("el-paso-border-shelter", "Casa Frontera El Paso", "Frontera Care", "elpaso",
    ["temporary-shelter", "relocation", "medical"], "Shelter, medical care and safe transport for people crossing the border.",
    langs=("es", "en"), hours="24/7", confidential=True, hotline=True, capacity={"beds": 20},
    intake="Call the 24/7 line.", cost="free")
add("el-paso-counseling", "Paso del Norte Counseling", "Paso Wellness", "elpaso",
    ["counseling", "spiritual-care"], "Counselling and spiritual care in Spanish and English.",
    langs=("es", "en"), hours=WEEKDAYS, intake="Walk in Tuesdays or call.", cost="sliding scale")
add("dallas-lgbtq-shelter", "North Texas Pride Shelter", "Prism North Texas", "dallas",
    ["temporary-shelter", "counseling", "mentoring"], "Emergency beds and peer mentors for LGBTQ adults.",
    elig={"ages": [18, None], "populations": ["lgbtq"]}, langs=("en", "es"), hours="24/7", confidential=True, hotline=True,
    intake="Call the 24/7 line.", cost="free")
add("dallas-demand-reduction", "Dallas Buyer Accountability Program", "Justice for All Dallas", "dallas",
    ["demand-reduction", "research-monitoring"], "Education for sex buyers referred by courts, and research on demand.",
    langs=("en",), hours=WEEKDAYS, intake="Court referral.", cost="fee")
add("mcallen-valley-advocates", "Rio Grande Valley Advocates", "RGV Freedom", "mcallen",
    ["victim-advocacy", "relocation", "family-support"], "Advocates, safe transport and family reunification across the border.",
    langs=("es", "en"), hours=WEEKDAYS, service_area={"radius_km": 150}, intake="Call or come to the office.", cost="free")

# ---------------- Florida ----------------
add("national-survivor-line", "National Survivor Support Line", "Freedom Line USA", "orlando",
    ["hotline", "victim-advocacy", "relocation"], "Nationwide 24/7 line: safety planning, shelter search and safe travel.",
    langs=("en", "es", "fr", "ht", "pt", "zh", "vi", "ar", "ru", "ko"), hours="24/7", hotline=True,
    service_area={"countries": ["US"], "remote": True}, intake="Call or text any time; interpreters available.", cost="free",
    areas=["identification", "rescue-exit"])
add("miami-safe-harbor", "Biscayne Safe Harbor", "South Florida Restoration", "miami",
    ["temporary-shelter", "counseling", "medical"], "Emergency shelter for women and girls aged 13 and over, with trauma care.",
    elig={"ages": [13, None], "genders": ["female"]}, langs=("en", "es", "ht"), hours="24/7", confidential=True, hotline=True,
    capacity={"beds": 12}, intake="Call the 24/7 line.", cost="free")
add("miami-haitian-legal", "Little Haiti Legal Services", "Ayiti Justice", "miami",
    ["legal-aid"], "Immigration and family law for Haitian and Caribbean survivors.",
    elig={"populations": ["foreign-nationals"]}, langs=("ht", "fr", "en"), hours=WEEKDAYS, intake="Walk in Mondays or call.",
    cost="free")
add("miami-job-training", "Magic City Works", "Magic City Works", "miami",
    ["vocational-training", "job-placement", "life-skills"], "Hospitality job training and placement with financial literacy classes.",
    elig={"ages": [18, None]}, langs=("en", "es", "ht"), hours=WEEKDAYS, intake="Enrol at an open house.", cost="free")
add("homestead-farmworker-center", "Homestead Farmworker Center", "Campesinos Unidos", "homestead",
    ["outreach", "legal-aid", "vulnerability-support"], "Outreach, legal help and food for farmworkers.",
    langs=("es", "en", "ht"), hours=WEEK_SAT, intake="Drop in.", cost="free")
add("immokalee-labor-rights", "Immokalee Workers Justice Center", "Fair Fields", "immokalee",
    ["outreach", "legal-aid", "awareness-education"], "Fights forced labour in the fields: outreach, legal help and worker education.",
    elig={"trafficking": ["labor"]}, langs=("es", "ht", "en"), hours=WEEK_SAT, service_area={"radius_km": 100},
    intake="Come to the centre or call.", cost="free")
add("orlando-aftercare-home", "Orange Blossom Aftercare Home", "Blossom Restoration", "orlando",
    ["long-term-housing", "education", "spiritual-care", "mentoring"], "Long-term residential aftercare for women aged 18-30.",
    elig={"ages": [18, 30], "genders": ["female"], "trafficking": ["sex"]}, langs=("en", "es"), hours=WEEKDAYS, confidential=True,
    intake="Referral from a shelter or advocate.", cost="free")
add("tampa-childrens-advocacy", "Tampa Bay Children's Advocacy Center", "Tampa Bay CAC", "tampa",
    ["victim-advocacy", "medical", "counseling"], "Forensic interviews, medical exams and therapy for children under 18.",
    elig={"ages": [None, 17]}, langs=("en", "es"), hours=WEEKDAYS, intake="Referral from police or child protective services.",
    cost="free")
add("tampa-identification-training", "Spot It Tampa Bay", "Tampa Bay Coalition", "tampa",
    ["identification-training", "coalition"], "Trains hotel, airport and hospital staff to recognise exploitation.",
    langs=("en",), hours=WEEKDAYS, service_area={"regions": ["US-FL"]}, intake="Request a training by e-mail.", cost="free",
    last_verified="2025-03-20")

# ---------------- Mexico (no job placement anywhere) ----------------
add("tijuana-casa-refugio", "Casa Refugio Tijuana", "Red Fronteriza de Esperanza", "tijuana",
    ["temporary-shelter", "counseling", "medical"], "Albergue de emergencia para mujeres y niñas, con atención psicológica y médica.",
    elig={"genders": ["female"]}, langs=("es", "en"), hours="24/7", confidential=True, hotline=True, capacity={"beds": 15},
    intake="Llame a la línea 24 horas.", cost="gratuito")
add("tijuana-asesoria-legal", "Asesoría Legal Frontera", "Red Fronteriza de Esperanza", "tijuana",
    ["legal-aid", "victim-advocacy"], "Asesoría legal y acompañamiento para personas migrantes y sobrevivientes.",
    elig={"populations": ["foreign-nationals"]}, langs=("es", "en", "ht"), hours=WEEKDAYS, intake="Acuda a la oficina o llame.",
    cost="gratuito")
add("juarez-centro-jovenes", "Centro Juvenil Paso Libre", "Paso Libre A.C.", "juarez",
    ["temporary-shelter", "education", "mentoring"], "Albergue y escuela para adolescentes de 12 a 17 años.",
    elig={"ages": [12, 17]}, langs=("es",), hours="24/7", confidential=True, hotline=True, intake="Llame a la línea 24 horas.",
    cost="gratuito")
add("monterrey-prevencion", "Prevención Norte", "Fundación Norte Libre", "monterrey",
    ["awareness-education", "vulnerability-support", "demand-reduction"], "Prevención en escuelas, becas y trabajo con compradores.",
    langs=("es",), hours=WEEKDAYS, intake="Solicite un taller por teléfono.", cost="gratuito")
add("mexico-linea-nacional", "Línea Nacional Libertad", "Consejo Ciudadano por la Libertad", "cdmx",
    ["hotline", "victim-advocacy", "law-enforcement"], "Línea nacional 24 horas para denunciar y pedir ayuda.",
    langs=("es", "en"), hours="24/7", hotline=True, service_area={"countries": ["MX"], "remote": True},
    intake="Llame o escriba por chat las 24 horas.", cost="gratuito")
add("cdmx-restauracion", "Hogar Nueva Vida", "Nueva Vida A.C.", "cdmx",
    ["long-term-housing", "family-support", "spiritual-care", "dental"], "Hogar de transición con atención familiar, espiritual y dental.",
    elig={"ages": [18, None]}, langs=("es",), hours=WEEKDAYS, confidential=True, intake="Canalización por una organización.",
    cost="gratuito")
add("cdmx-investigacion", "Observatorio de Trata CDMX", "Observatorio Ciudadano", "cdmx",
    ["research-monitoring", "policy-advocacy", "coalition"], "Investigación y seguimiento de leyes contra la trata.",
    langs=("es",), hours=WEEKDAYS, service_area={"countries": ["MX"]}, intake="Contacto por correo.", cost="gratuito")

# ---------------- more in the Central Valley so searches have choice ----------------
add("fresno-case-management", "Central Valley Survivor Advocates", "Central Valley Freedom Network", "fresno",
    ["victim-advocacy", "relocation"], "Case managers who stay with survivors from the first call to long-term support.",
    langs=("en", "es", "pa", "lo"), hours=WEEK_SAT, hotline=True, service_area={"radius_km": 120},
    intake="Call the 24/7 line or ask any partner to refer you.", cost="free")
add("fresno-esl-center", "Fresno Adult Learning Center", "Fresno Adult School", "fresno",
    ["education", "life-skills"], "ESL, GED and computer classes for adults; childcare on site in the evenings.",
    elig={"ages": [18, None]}, langs=("en", "es", "pa", "lo"), hours={"mon-thu": "08:00-21:00"}, intake="Enrol in person.", cost="free")
add("modesto-legal-aid", "Stanislaus Legal Help", "Valley Justice Project", "modesto",
    ["legal-aid"], "Custody, protective orders and record clearing for survivors.",
    langs=("en", "es", "pa"), hours=WEEKDAYS, service_area={"radius_km": 80}, intake="Call for an appointment.", cost="free")
add("sacramento-youth-shelter", "River City Teen Shelter", "River City Youth", "sacramento",
    ["temporary-shelter", "counseling", "family-support"], "Emergency shelter and family mediation for teenagers aged 12-17.",
    elig={"ages": [12, 17]}, langs=("en", "es", "ru"), hours="24/7", confidential=True, hotline=True, capacity={"beds": 9},
    intake="Call the 24/7 line.", cost="free")
add("oakland-survivor-clinic", "Lake Merritt Survivor Clinic", "East Bay Health", "oakland",
    ["medical", "counseling", "dental"], "Medical, dental and mental health care for survivors of all ages.",
    langs=("en", "es", "zh", "vi"), hours=WEEK_SAT, intake="Call for a same-week appointment.", cost="free")
add("san-jose-job-placement", "Silicon Valley Fresh Start", "Fresh Start SV", "sanjose",
    ["job-placement", "vocational-training", "life-skills"], "Tech and trades training with job placement for adults.",
    elig={"ages": [18, None]}, langs=("en", "es", "vi"), hours=WEEKDAYS, intake="Attend an orientation.", cost="free")


def q(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def flow_list(items):
    return "[" + ", ".join(str(i) for i in items) + "]"


def hours_yaml(h):
    if isinstance(h, str):
        return q(h)
    return "{" + ", ".join(f"{k}: {q(v)}" for k, v in h.items()) + "}"


def emit(i, p, out):
    city, county, region, zip_, country, lat, lon, area, tz = TOWNS[p["town"]]
    slug = p["id"]
    jitter_lat = ((i * 37) % 17 - 8) * 0.0031
    jitter_lon = ((i * 53) % 19 - 9) * 0.0029
    intl = "+1 " if country == "US" else "+52 "
    # Mexico dials ten digits: a two-digit area code (55, 81) takes a four-digit exchange.
    mx_exchange = "5555" if len(area) == 2 else "555"
    num = f"{intl}{area}-555-{100 + i:04d}" if country == "US" else f"{intl}{area} {mx_exchange} {1000 + i:04d}"
    lines = [f"  - id: {slug}", f"    name: {q(p['name'])}", f"    organization: {q(p['org'])}",
             f"    description: {q(p['desc'])}", f"    services: {flow_list(p['services'])}"]
    if p.get("areas"):
        lines.append(f"    areas: {flow_list(p['areas'])}")
    e = p["elig"]
    if e:
        parts = []
        if "ages" in e:
            a, b = e["ages"]
            parts.append(f"ages: [{'null' if a is None else a}, {'null' if b is None else b}]")
        for key in ("genders", "trafficking", "populations"):
            if key in e:
                parts.append(f"{key}: {flow_list(e[key])}")
        if "notes" in e:
            parts.append(f"notes: {q(e['notes'])}")
        lines.append("    eligibility: {" + ", ".join(parts) + "}")
    lines.append(f"    languages: {flow_list(p['langs'])}")
    lines.append(f"    phone: {q(num)}")
    if p.get("hotline"):
        hot = f"+1 800-555-{200 + i:04d}" if country == "US" else f"+52 800 555 {2000 + i:04d}"
        lines.append(f"    hotline: {q(hot)}")
    lines.append(f"    email: intake@{slug}.example.org")
    lines.append(f"    website: https://{slug}.example.org")
    lines.append(f"    hours: {hours_yaml(p['hours'])}")
    lines.append(f"    timezone: {tz}")
    street = f"{100 + (i * 97) % 4800} {STREETS[i % len(STREETS)]}"
    addr = [f"street: {q(street)}", f"city: {q(city)}"]
    if county:
        addr.append(f"county: {q(county)}")
    addr += [f"region: {region}", f"postal_code: {q(zip_)}", f"country: {country}"]
    lines.append("    address: {" + ", ".join(addr) + "}")
    lines.append(f"    location: {{lat: {lat + jitter_lat:.4f}, lon: {lon + jitter_lon:.4f}}}")
    if p.get("confidential"):
        lines.append("    confidential: true")
    if p.get("service_area"):
        sa = p["service_area"]
        parts = []
        for k, v in sa.items():
            if isinstance(v, list):
                parts.append(f"{k}: {flow_list(v)}")
            elif isinstance(v, bool):
                parts.append(f"{k}: {'true' if v else 'false'}")
            else:
                parts.append(f"{k}: {v}")
        lines.append("    service_area: {" + ", ".join(parts) + "}")
    if p.get("intake"):
        lines.append(f"    intake: {q(p['intake'])}")
    if p.get("cost"):
        lines.append(f"    cost: {q(p['cost'])}")
    if p.get("capacity"):
        lines.append("    capacity: {" + ", ".join(f"{k}: {v}" for k, v in p["capacity"].items()) + "}")
    verified = p.get("last_verified") or f"2026-{(i % 10) + 1:02d}-{(i * 7) % 27 + 1:02d}"
    lines.append(f"    last_verified: {verified}")
    for lang, texts in (p.get("translations") or {}).items():
        if lang == next(iter(p["translations"])):
            lines.append("    translations:")
        lines.append(f"      {lang}:")
        lines += [f"        {key}: {q(text)}" for key, text in texts.items()]
    out.append("\n".join(lines))


HEADER = """# yaml-language-server: $schema=../referral_cli/data/schema.json
#
# Sample directory of referral-cli. EVERY PROVIDER HERE IS FICTIONAL: the
# organisations, names, 555 phone numbers, example.org e-mails and web sites and
# street addresses are made up; the towns and their coordinates are real.
#
# Deliberate gaps, so that `referral coverage` has something true to show:
# - Tulare County (Visalia): adults' shelter, crisis line (its advocates count in
#   Restoration) and police, but nothing in Prevention, no counselling or medical
#   care, and no shelter for minors.
# - Kern County (Bakersfield): only adult shelter; no temporary shelter for minors.
# - Merced County: prevention only (all else reached only by statewide services).
# - El Paso: shelter and counselling, but no legal aid in the county (the Texas
#   statewide line is the only legal route).
# - Mexico: no job placement anywhere; Monterrey has prevention only.
# - Stale entries (last verified over a year ago) to show the validator's warning.
providers:
"""

if __name__ == "__main__":
    out = []
    for i, p in enumerate(P):
        emit(i, p, out)
    text = HEADER + "\n".join(out) + "\n"
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        f.write(text)
    print(len(P), "providers")
