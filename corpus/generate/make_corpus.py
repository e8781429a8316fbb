#!/usr/bin/env python3
"""Generate the sample publication library used by pubsearch's tests and demos.

ALL body text, summaries and notes produced by this script are SAMPLE TEXT
written for this project.  They stand in for the real publication library of a
migrant-rights charity.  Only the titles, dates and kinds of the seven "seed"
publications are real facts taken from the organisation's publication page;
everything else (including every quotation, name, figure and case study) is
invented and procedurally assembled from the sentence banks below.

What it does
  1. Builds one DOCX per publication with python-docx (deterministic: every
     publication uses its own seeded ``random.Random``; no network access).
  2. Converts all DOCX files to PDF in a single LibreOffice headless call.
  3. Verifies the PDFs with poppler-utils (``pdfinfo``, ``pdftotext``):
       * page counts match the page plan exactly (every page is laid out
         explicitly, so an overflow is an error);
       * PDF Info Title/Author match the DOCX core properties;
       * every planted phrase occurs on exactly its page (checked with
         ``pdftotext -f N -l N``) and its distinctive word occurs nowhere else
         in the whole corpus;
       * corpus totals (>= 16 PDFs, >= 300 pages, < 12 MB).
  4. Writes ``corpus/<stem>.pdf``, ``corpus/<stem>.toml`` (sidecars; one PDF is
     deliberately left without a sidecar), ``corpus/README.md`` and
     ``tests/data/known_phrases.json``.

Requirements
  pip install python-docx
  apt-get install libreoffice-writer-nogui poppler-utils fonts-liberation

Usage (from anywhere; paths are resolved relative to this file)
  python3 corpus/generate/make_corpus.py          # generate + verify + write
  python3 corpus/generate/make_corpus.py --plan   # print the page plan only

Running it again reproduces the same text; PDF bytes may differ (timestamps).
"""

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path
import random

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent
REPO = CORPUS.parent
PHRASES_JSON = REPO / "tests" / "data" / "known_phrases.json"

MRCF = "Migrant and Refugee Communities Forum"
MO = "Migrants Organise"
TYPES = ["report", "newsletter", "guide", "educational-resource", "book-chapter", "briefing"]
TOPICS = ["health", "citizenship", "education", "local democracy", "community organising",
          "employment", "destitution", "immigration policy", "women", "young people"]

# ---------------------------------------------------------------------------
# Vocabulary for slots
# ---------------------------------------------------------------------------
SLOTS = {
    "borough": ["Hackney", "Newham", "Tower Hamlets", "Lambeth", "Southwark", "Haringey", "Brent",
                "Ealing", "Lewisham", "Croydon", "Waltham Forest", "Islington", "Camden", "Enfield",
                "Barnet", "Hounslow", "Greenwich", "Wandsworth", "Redbridge", "Barking and Dagenham",
                "Hammersmith and Fulham", "Kensington and Chelsea", "Westminster", "Harrow",
                "Hillingdon", "Merton"],
    "community": ["Somali", "Kurdish", "Eritrean", "Congolese", "Colombian", "Tamil", "Afghan",
                  "Ethiopian", "Sudanese", "Iranian", "Moroccan", "Turkish", "Polish", "Romanian",
                  "Portuguese", "Brazilian", "Nigerian", "Zimbabwean", "Filipino", "Bangladeshi",
                  "Vietnamese", "Ecuadorian", "Bolivian", "Albanian", "Syrian", "Ivorian"],
    "lang": ["Somali", "Kurdish", "Tigrinya", "Lingala", "Spanish", "Tamil", "Dari", "Amharic",
             "Arabic", "Farsi", "Turkish", "Polish", "Romanian", "Portuguese", "French", "Yoruba",
             "Shona", "Tagalog", "Bengali", "Vietnamese", "Albanian", "Pashto", "Urdu", "Twi"],
    "city": ["São Paulo", "Zürich", "Kinshasa", "Asmara", "Mogadishu", "Bogotá", "Kabul",
             "Casablanca", "Tangier", "Lagos", "Harare", "Manila", "Colombo", "Quito", "Tehran",
             "Erbil", "Khartoum", "Addis Ababa", "Kraków", "Lisbon", "Bucharest", "Fès", "Rabat",
             "Abidjan", "Damascus", "Tirana", "Dhaka", "Medellín"],
    "name": ["Amina", "Yusuf", "Fatima", "Joseph", "Mariam", "Tesfaye", "Luis", "Ana", "Kofi",
             "Nadia", "Hamid", "Grace", "Samuel", "Leila", "Dawit", "Rosa", "Ibrahim", "Chipo",
             "Jorge", "Halima", "Tariq", "Ewa", "Agnieszka", "Bilal", "Senait", "Farhan", "Noor",
             "Olga", "Mehmet", "Zainab", "Patrice", "Beatriz", "Hussein", "Florin", "Aisha",
             "Thomas", "Rahel", "Ioana", "Karim", "Esperanza", "Nasra", "Desmond"],
    "role": ["community worker", "volunteer", "nurse", "refugee doctor", "interpreter",
             "youth worker", "parent", "student", "domestic worker", "teacher", "caseworker",
             "health advocate", "carer", "shop owner", "mentor", "trustee", "café owner",
             "cleaner", "midwife", "pharmacist"],
    "month": ["January", "February", "March", "April", "May", "June", "July", "September",
              "October", "November", "December"],
    "weekday": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
    "venue": ["the community hall", "the library", "the town hall", "St Mary's church hall",
              "the mosque community room", "the youth centre", "the Forum office",
              "the children's centre", "the adult education college", "the leisure centre"],
}

# Connectors prepended to some sentences for variety.
CONNECTORS = ["In {borough}, ", "In {year}, ", "In practice, ", "However, ", "For example, ",
              "At the same time, ", "In our experience, ", "Across London, ", "Even so, ",
              "By contrast, ", "As a result, ", "Elsewhere, ", "Not surprisingly, ",
              "In several boroughs, ", "During {year}, "]
LOWERABLE = {"The", "Many", "Several", "Some", "A", "An", "Most", "Few", "Participants",
             "Councillors", "Receptionists", "Patients", "Women", "Students", "Teachers", "Leaders",
             "Volunteers", "Employers", "People", "Children", "Members", "Refugees", "Community",
             "Local", "Our", "We", "Leaflets", "Officers", "Candidates", "Organisers", "Staff",
             "Practice", "Health", "Night", "Food", "Legal", "Older", "Delays", "Identity",
             "Landlords", "Checks", "Dental", "Mental", "Interpreters", "Careers", "Small",
             "Clinical", "Mentoring", "Trade", "Domestic", "Faith", "Consultation", "Ward",
             "Relationships", "Alliances", "Stories", "Destitution", "Fear", "Joint", "Good"}

# ---------------------------------------------------------------------------
# Sentence banks (sample text written for this project)
# ---------------------------------------------------------------------------
BANKS = {
"health": [
 "Many {community} families in {borough} told us that registering with a GP was the first and most difficult step.",
 "Receptionists at {n} of the surgeries we contacted asked for proof of address before they would register a new patient.",
 "There is no legal requirement to show proof of address or immigration status in order to register with a GP practice.",
 "Patients who could not register often went straight to accident and emergency, where waiting times were long and follow-up care was rare.",
 "A health advocate from {borough} explained that she spends most of her week accompanying people to appointments.",
 "The project trained {num} volunteers as health champions who could explain the NHS to newly arrived families.",
 "Leaflets were translated into {lang}, but many older residents preferred to receive information in person at a café or community centre.",
 "Charging for hospital care has made some pregnant women afraid to seek antenatal care until late in their pregnancy.",
 "Mental health services were described as distant, slow and difficult to understand.",
 "Several participants said that a single friendly receptionist made more difference than any written policy.",
 "[-2012] In {year}, the primary care trust in {borough} agreed to review its registration procedures after meeting community representatives.",
 "Waiting {weeks} weeks for a first appointment is common for refugees referred to specialist trauma services.",
 "Practice managers often said that they wanted to help but lacked clear guidance from the trust.",
 "Community organisations are well placed to explain entitlements because they already have the trust of the people they serve.",
 "We found that {pct} per cent of the people we surveyed did not know that they were entitled to free GP care.",
 "Dental care was the service people found hardest to reach, with some families travelling across London to find an NHS dentist.",
 "A naïve assumption that everyone understands the appointment system leaves many newcomers without care.",
 "Health visitors in {borough} now keep a list of local community groups that can offer support in {lang}.",
 "Pharmacists were often the first health professionals people spoke to after arriving in the country.",
 "The Primary Concern report set out clear recommendations, and this project tested how they could be put into practice locally.",
 "Joint training sessions brought GP receptionists and community workers together in the same room for the first time.",
 "Many people did not know the difference between a walk-in centre, a GP practice and a hospital.",
 "Information about charging was inconsistent, and some staff gave incorrect advice to patients who were fully entitled to care.",
 "The cost of travel to appointments was a real barrier for families living on asylum support.",
 "Good practice spread quickly once one surgery in {borough} showed that change was possible.",
 "Older people from the {community} community were least likely to have had a health check in the previous year.",
 "A simple registration card, printed in {lang} and English, reduced the number of people turned away at the front desk.",
 "Some surgeries offered longer appointments for patients who needed an interpreter.",
 "The health needs of people who have survived torture are often missed in a ten-minute consultation.",
 "People with diabetes and high blood pressure told us that they struggled to get repeat prescriptions without a registered GP.",
 "Staff turnover at reception meant that training had to be repeated every few months.",
 "Community events held at {venue} attracted {big} visitors over the course of the project.",
],
"skills": [
 "Refugee doctors in the UK face a long and costly route back into their profession.",
 "A nurse who qualified in {city} may wait more than a year for her qualifications to be assessed.",
 "The cost of language tests, clinical examinations and registration fees can exceed £{big}.",
 "While they wait, many overseas professionals take low-paid work as care assistants, cleaners or drivers.",
 "The loss of skills is felt twice: once by the individual and once by a health service that is short of staff.",
 "Of the {num} professionals we interviewed, {n} had been working in the NHS in a role below their qualifications.",
 "Clinical attachments gave refugee doctors the chance to observe practice in an English hospital.",
 "Employers were more likely to recognise experience gained in Europe than experience gained elsewhere.",
 "Participants described the frustration of being fluent in clinical English but failing a general language test.",
 "A midwife from {city} told us that she had delivered more than {big} babies before coming to Britain.",
 "Mentoring by a practising clinician was the single most valued form of support.",
 "Some hospital trusts ran adaptation programmes, but places were few and waiting lists long.",
 "The financial pressure of supporting a family made it hard to take unpaid placements.",
 "Several women told us that childcare responsibilities made evening study almost impossible.",
 "Professional bodies rarely collected data on the number of refugees applying for registration.",
 "Without recent clinical practice, skills fade, and the route back becomes longer each year.",
 "Pharmacists, dentists and physiotherapists faced similar obstacles, though each profession had its own rules.",
 "Time spent waiting for a decision on an asylum claim is time in which people cannot work in their profession.",
 "Careers advisers often lacked up-to-date information about the registration process for overseas professionals.",
 "We estimate that retraining a refugee doctor costs a fraction of training a new doctor from the beginning.",
 "A doctor from {city} spent {n} years working in a warehouse before passing the final examination.",
 "Small grants for examination fees made a big difference to people living on low incomes.",
 "Employers told us that they valued the language skills and cultural knowledge of overseas staff.",
 "Efficient assessment of qualifications would benefit both patients and the workforce.",
 "Nurses recruited directly by agencies in {city} often arrived with debts to pay off.",
 "A surgeon who had practised for {n} years in {city} was told to begin again as a student.",
 "Hospital managers in {borough} said that vacancies in nursing had risen for three years in a row.",
 "Study groups run by refugee doctors themselves were an effective and affordable form of support.",
 "Long gaps between examination sittings added months to the process for many candidates.",
 "Some professionals gave up and retrained in a completely different field.",
],
"democracy": [
 "Refugees and migrants are often absent from the places where local decisions are made.",
 "At the Question Time event in {borough}, residents questioned councillors about housing, schools and policing.",
 "Between {num} and {num2} community representatives attended each of the events.",
 "Many participants did not know that Commonwealth citizens and some Europeans can vote in local elections.",
 "Councillors said they rarely met members of new communities except at surgeries about individual problems.",
 "A young man from the {community} community asked why no one from his street had ever been asked for their views.",
 "Ward forums were described as formal, poorly advertised and held at inconvenient times.",
 "Participants wanted clear information about how the council works and who makes which decisions.",
 "Some community organisations feared that speaking out might affect their funding.",
 "Voter registration drives in {borough} added {big} names to the electoral roll in a single year.",
 "Local democracy depends on the participation of everyone who lives in an area, not only those who can vote.",
 "Women were under-represented at most of the events, and crèche provision helped to change this.",
 "Interpreters allowed speakers of {lang} and {lang2} to put their questions directly to the panel.",
 "Officers from the council agreed to attend follow-up meetings with community groups.",
 "Participation is not only about voting; it includes school governing bodies, tenants' associations and consultations.",
 "Several councillors admitted that they did not know which languages were spoken in their ward.",
 "The events showed that people are keen to take part when they are invited in the right way.",
 "Consultation documents were often long, technical and available only in English.",
 "A local strategic partnership in {borough} invited refugee community organisations to join its equalities forum.",
 "People who had been politically active in {city} brought valuable experience to their new neighbourhoods.",
 "Trust in public institutions was lower among people who had experienced persecution by the state in their home country.",
 "The question most often asked at the events was simply: who should we talk to?",
 "Panel members included councillors, council officers, a police inspector and a local MP.",
 "Questions were collected in advance so that shy participants could still be heard.",
 "Turnout in the wards with the largest migrant populations was well below the borough average.",
 "Young people asked about youth clubs, exam results and stop and search.",
 "The format of the evenings was informal, with food, music and short speeches.",
 "Councillors from all parties agreed that new communities were poorly represented on the council itself.",
 "Residents of {borough} wanted the council to advertise meetings through community radio and places of worship.",
 "Several speakers described their first experience of voting in Britain with pride.",
],
"education": [
 "Students will explore how communities change over time through the stories of Moroccan migrants in Britain.",
 "This activity supports the Key Stage 3 Citizenship programme of study on identities and diversity.",
 "Ask students to work in pairs and list three things they would pack if they had to move to a new country.",
 "Teachers may wish to adapt the worksheet for students with English as an additional language.",
 "The oral history extracts describe work in hotels, restaurants and factories in London during the 1960s and 1970s.",
 "Encourage students to compare the experiences described with those of their own families.",
 "Many of the first Moroccan workers came to Britain in the late 1960s, often recruited to work in hotels and catering.",
 "Many families settled in North Kensington, around Portobello Road and Golborne Road.",
 "Students should consider how the meaning of home can change over a lifetime.",
 "A short class discussion can help students reflect on what it means to belong.",
 "The glossary at the end of this pack explains key terms such as migration, citizenship and community.",
 "This lesson can be completed in one hour, or extended over two lessons with a homework task.",
 "Invite students to interview an older relative or neighbour about a journey they made.",
 "Remind students that personal stories should be treated with respect and kept confidential if requested.",
 "The photographs show a café in {borough}, a market stall and a family celebration.",
 "Assessment can be based on the written reflection, the group presentation or both.",
 "Students will learn how migrants have contributed to the economic and cultural life of Britain.",
 "Ask each group to prepare a short presentation for the rest of the class.",
 "The memories in this pack were recorded with people who travelled from {city} and the surrounding towns.",
 "Students can map the journeys described in the interviews on a blank map of Europe and North Africa.",
 "Some families kept strong links with Morocco, returning every summer to visit relatives.",
 "The second generation often describe themselves as both Moroccan and British, and see no contradiction in this.",
 "Discuss with the class how newspapers have written about migration at different times.",
 "Differentiation: provide sentence starters for students who need support with extended writing.",
 "Use the timeline cards to help students put events in order before they begin writing.",
 "Students who finish early can design a museum label for one of the objects described.",
 "The activity encourages empathy, careful listening and respectful disagreement.",
 "Links can be made with History, Geography and English lessons.",
],
"identity": [
 "The question of what it means to be British has rarely been asked with such urgency.",
 "Britishness has always been a layered identity, sitting alongside Englishness, Scottishness, Welshness and Irishness.",
 "For many migrants, being British is a matter of paperwork long before it becomes a matter of feeling.",
 "Identity is not a fixed inheritance but something people make and remake in everyday life.",
 "A market trader in {borough} may speak three languages, support two football teams and still call himself a Londoner first.",
 "The citizenship ceremony was introduced to give the moment of naturalisation a public meaning.",
 "Debates about national identity often tell us more about anxiety than about the people they describe.",
 "History offers few examples of a settled national culture untouched by movement and exchange.",
 "To ask newcomers to integrate is to assume that there is a single thing into which they can be integrated.",
 "Tea, the curry house and the Notting Hill Carnival are familiar examples of how the borrowed becomes the national.",
 "A naïve idea of Britishness based on shared ancestry excludes millions of people born here.",
 "Language matters, but fluency in English is not the same thing as belonging.",
 "Civic values such as fairness, tolerance and the rule of law are not the property of any one nation.",
 "Young people growing up in mixed cities often describe their identities with ease and humour.",
 "The language of 'them and us' divides neighbours who share the same streets, schools and buses.",
 "Migrants from {city} and {city2} have made their homes in Britain for generations.",
 "Any honest account of British identity must include empire, migration and the struggle for equal rights.",
 "Belonging grows from participation: from having a voice and being listened to.",
 "A café owner from {city} once said that he became British the day his customers started arguing with him about football.",
 "The future of cultural identity will be shaped in classrooms, workplaces and local associations as much as in Parliament.",
 "If Britishness is to mean anything, it must be open to those who choose to make their lives here.",
 "Public debate too often treats diversity as a problem to be managed rather than a reality to be lived.",
 "National stories are always selective; the question is who gets to tell them.",
 "The experience of being asked where you are really from is familiar to many people born in Britain.",
 "The seaside town, the village green and the terraced street are powerful images, but they describe only part of the country.",
 "Every generation has believed that its own newcomers were different from those who came before.",
 "Citizenship is a legal status, but it is also a relationship that must be renewed by both sides.",
 "The nostalgia of the affluent for a lost England is rarely shared by those who were excluded from it.",
 "Migration has shaped the food, music, language and humour of the country in ways too deep to separate out.",
 "Schools have become the places where a new and more generous idea of the nation is worked out in practice.",
 "The demand for loyalty is reasonable only when it is matched by a promise of equal treatment.",
 "Many of those who fought for Britain in two world wars came from the Caribbean, Africa and South Asia.",
 "The word 'immigrant' is often applied to people whose families have lived here for decades.",
 "A shared identity cannot be imposed by a test; it has to be built through common experience.",
 "Diversity is not new to these islands; what is new is the willingness to talk about it openly.",
],
"organising": [
 "Community organising starts with listening: one-to-one conversations in which people share what matters to them.",
 "Over {n} weeks, leaders held more than {big} conversations in mosques, churches, schools and cafés.",
 "[2015] The Build Common Ground campaign brought together migrants and long-standing residents ahead of the 2015 general election.",
 "Leaders chose three issues for action: decent housing, fair treatment at work and respect in public services.",
 "At the assembly in {borough}, candidates from every major party were asked to respond to the community's priorities.",
 "Organising is about building power so that people can act together rather than waiting to be helped.",
 "New leaders were trained in running meetings, telling their stories and negotiating with decision-makers.",
 "A leader from the {community} community explained how she persuaded her neighbours to register to vote.",
 "The campaign registered {big} new voters in the weeks before the registration deadline.",
 "Relationships built during the campaign continued long after polling day.",
 "Faith institutions offered halls, volunteers and a network of trusted messengers.",
 "We learnt that small, winnable actions build the confidence needed for larger campaigns.",
 "Candidates were more attentive when they saw a room full of organised voters.",
 "Alliances with trade unions and tenants' associations strengthened the campaign.",
 "Evaluation sessions after every action helped leaders reflect on what had worked and what had not.",
 "Stories of migration were shared alongside stories of local families who had lived in the area for generations.",
 "Organisers kept a simple record of every conversation so that follow-up was never forgotten.",
 "The campaign deliberately avoided speaking for migrants and instead supported migrants to speak for themselves.",
 "Common ground was found in everyday concerns: rents, wages, schools and safety.",
 "Building relationships across difference takes time, patience and a willingness to be uncomfortable.",
 "Leaders practised their testimonies in small groups before speaking to an audience of {big}.",
 "After the election, newly elected MPs were invited to meet leaders in their constituencies.",
 "A house meeting in {borough} began with eight neighbours and ended with a plan to meet the housing officer.",
 "Member organisations agreed a shared agenda after a series of listening sessions in {month}.",
 "The organising team included {n} paid staff and a much larger number of volunteer leaders.",
 "Power analysis helped leaders to identify who could actually make the change they wanted.",
 "Young leaders brought energy, social media skills and a refusal to accept things as they are.",
 "[2005] Migrant workers in cleaning and catering organised to win the London Living Wage.",
],
"destitution": [
 "People with no recourse to public funds cannot claim most welfare benefits, whatever their circumstances.",
 "Refused asylum seekers are often left without any income or accommodation while they gather new evidence.",
 "Of the {num} people we interviewed, {n} had slept rough at some point in the previous year.",
 "Many relied on friends for a sofa to sleep on, moving every few weeks to avoid outstaying their welcome.",
 "Destitution affects physical and mental health, with many people reporting poor sleep, hunger and anxiety.",
 "Food banks and drop-in centres in {borough} reported a sharp rise in demand from people without status.",
 "Women without recourse to public funds were particularly vulnerable to exploitation and abuse.",
 "Local authorities have duties to support families with children, but the assessment process can be slow and hostile.",
 "A weekly hardship payment of £{n}0 from a community fund was, for some, the only money they received.",
 "Several participants described being afraid to approach any public service in case it led to detention.",
 "Night shelters run by faith groups provided a safe place to sleep during the coldest months.",
 "Destitution is a consequence of policy choices, not an accident.",
 "People told us that the hardest part of destitution was the loss of dignity and the feeling of being invisible.",
 "Legal advice was the most important route out of destitution, yet advice services were overstretched.",
 "Children in destitute families missed school trips, lacked school uniforms and often went hungry.",
 "Some people had been destitute for more than {n} years, moving between friends, shelters and the street.",
 "The cost of a bus pass made it difficult to reach appointments with solicitors and the Home Office.",
 "Volunteers at the drop-in served hot meals, offered showers and helped people with letters.",
 "We call for an end to policies that use destitution as a tool of immigration control.",
 "Affluent neighbourhoods and destitute households often sit side by side in the same London borough.",
 "Without an address, it was almost impossible to open a bank account or receive post.",
 "One man had been refused asylum in {year} and had lived without support ever since.",
 "Hosting schemes matched people who needed a room with volunteers who had a spare bedroom.",
 "Some people worked cash-in-hand for as little as £{n} a day simply to eat.",
 "Pregnant women without support were sometimes discharged from hospital with nowhere to go.",
 "Caseworkers in {borough} said that fresh claims could take more than a year to be decided.",
 "Destitution made it harder, not easier, for people to resolve their immigration cases.",
 "Clothing, toiletries and phone credit were among the items people most often asked for.",
]
,
"hostile": [
 "[2013] The hostile environment is a set of policies designed to make life difficult for people without immigration status.",
 "[2014] Landlords, employers, banks and health workers have been asked to carry out immigration checks.",
 "[2016] The Right to Rent scheme requires landlords in England to check the immigration status of tenants.",
 "[2014] Many people with every right to be here have been refused work, housing or health care because they could not prove their status.",
 "[2018] The Windrush scandal showed how long-term residents could be wrongly treated as unlawful migrants.",
 "[2017] Data-sharing between the NHS and the Home Office deterred people from seeking medical care.",
 "Employers who fear fines may refuse to employ anyone with a foreign-sounding name.",
 "We advise members to keep copies of important documents in a safe place.",
 "If you are asked for documents you do not have, seek advice before you respond.",
 "Members reported being asked for passports when opening bank accounts, renting rooms and enrolling at colleges.",
 "The policies push people into informal work, where exploitation is more likely.",
 "Community groups have responded by offering advice surgeries, know-your-rights sessions and accompaniment.",
 "Everyone has the right to urgent medical treatment, and no one should be turned away from a hospital in an emergency.",
 "Checks are often carried out by staff with little training in the complex rules of immigration law.",
 "[2016] Some schools were asked to collect data on pupils' nationality and country of birth.",
 "Fear spreads through a community faster than accurate information.",
 "A member from {borough} was asked to leave her rented room after her landlord misread her visa.",
 "[2010] The Home Office made {n} separate changes to the immigration rules in a single year, making it harder for advisers to keep up.",
 "[2014] Driving licences and bank accounts can be withdrawn on the basis of Home Office records that are sometimes wrong.",
 "People who are afraid of checks are less likely to report crime or exploitation.",
 "The burden of proof falls on the individual, even when the mistake was made by an official.",
 "[2017] Campaigners, doctors and lawyers have called for a firewall between public services and immigration enforcement.",
]
,
"euss": [
 "The EU Settlement Scheme was created for European citizens and their families living in the UK before the end of 2020.",
 "The deadline for most applications was 30 June 2021.",
 "Late applications can be accepted where there are reasonable grounds for missing the deadline.",
 "People with pre-settled status must apply again for settled status before their status expires.",
 "Older people, children in care and people without internet access were most at risk of missing the deadline.",
 "Many Roma families in {borough} did not hear about the scheme until months after it opened.",
 "The digital-only status caused confusion when people tried to prove their rights to landlords and employers.",
 "A {community} care worker told us that she had lived in London for {n} years and assumed she did not need to apply.",
 "Community groups ran application sessions in libraries, churches and cafés.",
 "We helped {big} people to make applications between 2019 and 2021.",
 "Applicants from Zürich and other parts of Switzerland were also covered by the scheme.",
 "Delays in processing left people with a certificate of application and little else to show an employer.",
 "People who missed the deadline may lose access to work, benefits, housing and health care.",
 "Translated guidance in Polish, Romanian, Portuguese and Bulgarian helped reach people who were not fluent in English.",
 "Identity documents were a common problem, especially for people whose passports had expired.",
 "Some applicants were granted pre-settled status even though they had lived in the UK for more than five years.",
 "A lack of clear data means that nobody knows how many people are still eligible but have not applied.",
 "Applicants with criminal records faced additional checks and long delays.",
 "Family members from outside Europe often found it harder to prove their relationship to the main applicant.",
 "Advisers in {borough} reported that {pct} per cent of late applicants were over sixty.",
 "Some employers wrongly asked European staff for a physical card rather than a share code.",
 "People with limited digital skills needed help to create an account and upload documents.",
 "Victims of domestic abuse sometimes could not obtain the documents held by their former partner.",
 "The scheme was simpler than most immigration routes, but simplicity did not mean that everyone applied.",
]
,
"domestic": [
 "Migrant domestic workers care for children, cook, clean and look after elderly people in private homes.",
 "[2012] Since 2012, the overseas domestic worker visa has tied workers to a single employer and limited their stay to six months.",
 "Many domestic workers work long hours without a day off and for far less than the minimum wage.",
 "Your passport belongs to you, and your employer has no right to keep it.",
 "You are entitled to the National Minimum Wage, paid holiday and rest breaks.",
 "Keep a diary of the hours you work and any payments you receive.",
 "If you are in danger, call 999 and ask for the police.",
 "[2015] Workers who leave an abusive employer may be able to remain if they are recognised as victims of trafficking or modern slavery.",
 "Domestic workers' groups meet every Sunday in {borough} to learn English, share food and support each other.",
 "A worker from Manila described how she escaped from a house where she had been locked in for {n} months.",
 "Trade unions can support domestic workers to claim unpaid wages through an employment tribunal.",
 "Employers must provide a written statement of the main terms of employment.",
 "You can get free, confidential advice from a law centre or Citizens Advice.",
 "Many workers do not know their rights because they have no contact with anyone outside the household.",
 "[2013] Self-organised groups of domestic workers have campaigned for the restoration of the right to change employer.",
 "Language classes help workers to become fluent enough to speak up for themselves.",
 "Some workers are brought to London by families who travel between homes in several countries.",
 "Sleeping in a child's room or on a kitchen floor is not acceptable accommodation.",
 "Photographs of your passport, visa and payslips can help an adviser to act quickly.",
 "Workers from {city} told us that their recruitment agencies charged fees equal to several months' wages.",
]
,
"interpreting": [
 "Professional interpreters should be used for any conversation about health, legal rights or money.",
 "Children should never be asked to interpret for their parents in medical or legal appointments.",
 "Brief the interpreter before the meeting and allow extra time for the conversation.",
 "Speak directly to the person, not to the interpreter.",
 "Use short sentences and pause regularly so that the interpreter can keep up.",
 "Telephone interpreting is quick to arrange but less suitable for sensitive conversations.",
 "Check that the interpreter speaks the right dialect as well as the right language.",
 "Some clients prefer an interpreter of the same gender, especially when discussing health.",
 "Interpreters are bound by a code of conduct that includes confidentiality and impartiality.",
 "Community organisations in {borough} keep a register of trained volunteer interpreters in {lang}.",
 "The cost of professional interpreting is small compared with the cost of a misdiagnosis.",
 "Ask the client at the end of the meeting whether they understood everything that was said.",
 "Keep a record of the interpreter's name and the language used.",
 "Sight translation of a letter is a different task from interpreting a conversation.",
 "Interpreters may need a debriefing after difficult conversations about violence or loss.",
 "[2015] Video interpreting has become more common, but a poor connection can undermine trust.",
 "Friends and relatives may be unwilling to pass on difficult news accurately.",
 "Technical terms should be explained in plain language rather than simply repeated.",
 "An interpreter who knows the client socially may not be able to remain impartial.",
 "Booking systems should record the language, dialect and any gender preference in advance.",
]
,
"org": [
 "This year the Forum supported {num} member organisations across London.",
 "Our advice workers helped {big} people with immigration, housing and welfare questions.",
 "We are grateful to our funders, volunteers and trustees for their continued support.",
 "The board of trustees met {n} times during the year.",
 "Income for the year was £{money}, of which {pct} per cent came from charitable trusts.",
 "We moved into new offices in {borough}, shared with two other community organisations.",
 "Our capacity-building programme offered training in governance, financial management and fundraising.",
 "Member organisations told us that small, practical support was what they valued most.",
 "A new youth project began in {month} with {num} young people taking part.",
 "Volunteers contributed more than {big} hours of their time.",
 "Our financial position remains stable, but unrestricted reserves are lower than we would like.",
 "Staff and volunteers completed training in safeguarding, data protection and first aid.",
 "The women's group met weekly and organised a celebration for International Women's Day.",
 "We continued to work in partnership with local authorities, health bodies and other charities.",
 "Our policy work brought the experiences of members to ministers, MPs and officials.",
 "A review of our governance led to a smaller board and clearer roles for trustees.",
 "The office was open five days a week, with evening sessions on {weekday}s.",
 "Member groups from the {community} and {community2} communities joined the Forum this year.",
 "Our annual conference at {venue} was attended by {num} organisations.",
 "We published {n} briefings on changes to immigration, welfare and health policy.",
 "Young leaders took part in a residential weekend and planned their own campaign.",
 "The accounts were independently examined and approved by the board in {month}.",
 "We recruited a new coordinator for our work with women and families.",
 "Thanks to a grant from a London-wide trust, the advice line now opens on {weekday} evenings.",
]
,
"news": [
 "Our annual general meeting will be held in {month} at {venue} in {borough}.",
 "Thank you to everyone who came to the summer celebration in {borough}.",
 "The new advice surgery runs every {weekday} morning from ten o'clock until one.",
 "We are looking for volunteers who speak {lang} to help at our drop-in sessions.",
 "Congratulations to {name}, who has completed her training as a community interpreter.",
 "Member groups can apply for small grants of up to £{grant} for community events.",
 "Our training programme this term includes sessions on funding bids, governance and financial planning.",
 "The football tournament in {borough} brought together teams from {n} different communities.",
 "Please send news, photographs and dates for the next issue to the newsletter editor.",
 "The women's sewing group has moved to a larger room on the first floor.",
 "Free English classes start again in {month}; places are limited, so book early.",
 "A new café opened at the community centre, serving coffee from São Paulo and pastries from Lisbon.",
 "We said goodbye to {name}, who has worked with us for {n} years, and wish her well.",
 "Our stall at the {borough} festival gave out {big} leaflets about health rights.",
 "The youth forum met the borough's director of children's services in {month}.",
 "Thank you to the {community} community association for hosting our last members' meeting.",
 "A film night at {venue} raised money for the hardship fund.",
 "The drop-in at {venue} is now open on {weekday} afternoons.",
 "Our trustees welcomed {n} new member organisations at the last board meeting.",
 "Members shared recipes from {city}, {city2} and {city3} at the community lunch.",
 "Our website now lists upcoming events, training and job vacancies in member groups.",
 "Children from the Saturday school performed songs in {lang} and English.",
 "A volunteer from {borough} cycled from London to Brighton to raise money for our work.",
 "New guidance on charging for hospital care is available from our office.",
 "We have updated our directory of member organisations; please check your entry.",
 "Our office will be closed between Christmas and New Year.",
 "The next networking breakfast for member groups will be held on a {weekday} in {month}.",
]
,
"voter": [
 "Anyone aged 18 or over who is a British, Irish or qualifying Commonwealth citizen can vote in a general election.",
 "You can register to vote online in about five minutes; you will need your National Insurance number.",
 "Some European citizens can vote in local elections in England, depending on their nationality and when they arrived.",
 "[2023] Since 2023, voters in England have needed photo identification to vote in person at general elections.",
 "Registering to vote can also help with your credit rating.",
 "Community groups in {borough} held registration stalls outside supermarkets and places of worship.",
 "Many young people and private renters are missing from the electoral register.",
 "If you move home, you need to register again at your new address.",
 "Postal votes are useful for people who work long or unpredictable hours.",
 "Hustings give residents the chance to question candidates before they vote.",
 "[2023] A Voter Authority Certificate is free for people without accepted photo identification.",
 "Qualifying Commonwealth citizens must have permission to be in the UK or not need such permission.",
 "Polling stations are open from seven in the morning until ten at night.",
 "You do not need your poll card to vote, but it helps staff find your name quickly.",
 "Councils in {borough} reported that {pct} per cent of new registrations came from people under thirty.",
 "Local councillors decide on housing, bins, parks and many services that shape daily life.",
 "Mayoral elections in London give every registered resident a say in transport and policing.",
 "People who cannot vote can still take part by contacting their councillor or MP.",
]
,
}

QUOTES = [
 "I came here to work, not to wait.",
 "The receptionist smiled and said I could register. That was the first good day.",
 "Nobody asked us before. Tonight somebody did.",
 "I was a surgeon in {city}. Here I clean offices, but I still read the journals.",
 "My children speak English better than me, but I do not want them to translate my illness.",
 "We are not guests any more. This is our borough too.",
 "When you have no papers, every knock on the door is frightening.",
 "I did not know I could vote. Now I tell everyone.",
 "Being British is not about the passport. It is about the people next door.",
 "The forms were in English and the helpline was always busy.",
 "I slept on the night bus because it was warm.",
 "They kept my passport for four years.",
 "At the meeting I spoke for the first time in public. My hands were shaking.",
 "[2019] I applied late because nobody told my mother about the scheme.",
 "The café is where we meet, argue and make plans.",
 "We want to be part of the decisions, not just the statistics.",
 "Fluent English did not help me; they wanted a certificate.",
 "Our group started with five women around a kitchen table.",
 "If the council wants to hear us, it should come to us.",
 "My grandfather came from Tangier to cook in a London hotel.",
 "I was naïve. I believed the agency would help me.",
 "A friendly face at the surgery makes all the difference.",
 "We pay our taxes and we want a say in how they are spent.",
 "I learnt more about Britain at the community centre than in any textbook.",
 "The office sent letters I could not read.",
 "In {city} I was a teacher. Here I am learning again, and that is fine.",
 "When my son was ill, the interpreter was the one who calmed me down.",
 "[2019] I have lived here for twenty years. I did not think I needed to apply for anything.",
 "Organising taught me that my story matters.",
 "We cooked together, and then we started talking about rent.",
]

# General background sentences mixed into every document at a low rate, to widen
# the vocabulary (sample text written for this project).
BANKS["context"] = [
 "London has been shaped by migration for centuries, from Huguenot weavers in Spitalfields to Somali sailors in the East End docks.",
 "Rents in {borough} rose faster than wages for most of the decade, pushing many families into overcrowded flats.",
 "Refugee community organisations are often run by volunteers from a kitchen table or a borrowed office.",
 "Small organisations rarely have a paid fundraiser, so applications are written in the evenings and at weekends.",
 "The local library in {borough} doubled as a homework club, an advice point and a warm place to sit.",
 "Many people juggle two or three part-time jobs, often early in the morning or late at night.",
 "Long journeys on night buses are part of daily life for cleaners, carers and security guards.",
 "An apprenticeship or a college bursary can open doors that a degree from abroad does not.",
 "Complaints to the ombudsman were rare, partly because few people knew that the ombudsman existed.",
 "Safeguarding procedures protect children and vulnerable adults, but they can seem bewildering to new volunteers.",
 "Discretionary funds held by councils are often poorly advertised and quickly spent.",
 "A tribunal hearing can feel intimidating, even for people who have been through far worse.",
 "Leaseholders and tenants on the same estate sometimes have very different priorities.",
 "The allotment behind the community centre produces beans, courgettes and coriander every summer.",
 "Peripatetic advice workers visit libraries, mosques and children's centres across the borough.",
 "Weekend markets remain important meeting places, especially for older people who live alone.",
 "Many community groups began as informal gatherings of friends who shared a language.",
 "Faith buildings often provide the only free meeting space in a neighbourhood.",
 "The smell of bread from a Turkish bakery drifted across the square where the stall was set up.",
 "Digital exclusion affects people without smartphones, data or the confidence to use online forms.",
 "Volunteering can be a route into paid work, but it should never replace fair pay.",
 "The cost of childcare in London is among the highest in Europe.",
 "Local newspapers have closed in many boroughs, leaving fewer ways to find out what the council is doing.",
 "Street parties for jubilees and festivals brought neighbours together in unexpected ways.",
 "Translation is only the first step; information also has to make sense in the reader's own context.",
 "[2013] Caseloads rose sharply after cuts to legal aid, leaving advisers to choose which cases they could take on.",
 "A bilingual receptionist can change the atmosphere of a waiting room.",
 "Committee meetings are more welcoming when papers are short and jargon is avoided.",
 "Hot desks, shared printers and a kettle were the main assets of many member organisations.",
 "Grant conditions often require detailed monitoring, which small groups find burdensome.",
 "Research with communities works best when community members help to design the questions.",
 "The river, the parks and the canal towpaths are free places to meet, walk and talk.",
 "Seasonal work in hospitality ends abruptly in January, leaving many workers without income.",
 "Pay-as-you-go phones, frequently topped up, are a lifeline for people without a fixed address.",
 "Several boroughs have appointed champions for refugees and migrants within the council.",
 "Photographs, recipes and songs can say as much about a community as any statistics.",
 "Census figures show that more than three hundred languages are spoken in London schools.",
 "Many newly arrived people had professional careers in {city} as engineers, lawyers, accountants or teachers.",
 "Evening classes in English for Speakers of Other Languages were oversubscribed in most boroughs.",
 "Good meetings start on time, finish on time and leave people with something to do.",
 "The scrapbook kept by one member group records twenty years of picnics, protests and celebrations.",
 "Commuting from outer London can take up to two hours each way.",
 "Simple things matter: a clear sign on the door, a chair to sit on and a glass of water.",
 "Solidarity between long-established and newer communities cannot be taken for granted; it has to be built.",
 "Some families keep their savings in envelopes because a bank account is out of reach.",
 "A mentoring scheme pairs newcomers with volunteers who know how things work locally.",
 "Evaluation reports are more useful when they describe what went wrong as well as what went right.",
 "Winter fuel bills force some households to choose between heating and eating.",
 "[2021] The pandemic moved much community work online, and not all of it has moved back.",
 "Photocopied leaflets, community radio and word of mouth still reach people that websites miss.",
]

# Compositional frames: subject + predicate + tail, so that long documents do not
# simply repeat the same sentences.  Predicates are in the past tense so that they
# agree with singular and plural subjects alike.
GEN_SUBJ = [
 "Participants in {borough}", "A {role} from {borough}", "Members of the {community} community association",
 "Two volunteers from {borough}", "Several {community} families", "A group of women from the {community} community",
 "Caseworkers at a member organisation in {borough}", "Young people from {borough}", "An older man originally from {city}",
 "A mother of three living in {borough}", "Representatives of {n} member groups", "A {community} {role}",
 "Staff at the advice centre in {borough}", "Trustees of a small {community} charity", "{name}, a {role},",
 "A family who arrived from {city} in {year}", "One of the {community} health champions", "Residents of a hostel in {borough}",
]
TAILS = ["", "", "", "", "", " during {month}", ", according to our survey", " over the past year",
         ", as several people told us", " earlier in the year", " in the months that followed",
         ", according to our notes", ", we were told"]
FRAMES = {
"health": [
 "said that the surgery had asked for a passport before registering them",
 "described waiting {weeks} weeks for a hospital appointment",
 "found the letters from the hospital difficult to understand",
 "praised a receptionist who had taken the time to explain the forms",
 "asked for more information about free prescriptions",
 "relied on a neighbour to interpret at the doctor's",
 "called for longer appointments for patients who need an interpreter",
 "did not know that advice was available by telephone in {lang}",
 "struggled to find an NHS dentist within reach of home",
 "welcomed the health champions who visited their group",
 "reported being told, wrongly, that they would be charged for GP care",
 "recalled being turned away from a walk-in centre without explanation",
 "valued the health information sessions held at {venue}",
 "worried that using the NHS might affect their immigration case",
 "said that mental health support was the service they most needed",
 "asked the practice manager to display a poster about interpreting",
 "took a child with asthma to accident and emergency because no surgery would register the family",
 "learnt about health visitors for the first time at a session in {lang}",
],
"skills": [
 "spent {n} years trying to have their qualifications recognised",
 "paid more than £{big} in examination and registration fees",
 "worked night shifts in a warehouse while studying for the clinical examination",
 "described the language test as the biggest single barrier",
 "found a clinical attachment through a personal contact rather than a formal scheme",
 "said that no one had explained the registration process in one place",
 "valued the support of a mentor who had followed the same route",
 "lost confidence after {n} years away from clinical practice",
 "asked the regulator for clearer guidance on which documents were needed",
 "took a job as a health care assistant to stay close to patients",
 "called for grants to cover the cost of examinations",
 "passed the examination only after several attempts",
 "described how their skills were wasted while vacancies went unfilled",
 "travelled from {borough} to study groups at a hospital across London",
 "translated their diplomas from {lang} at their own expense",
 "had been advised by a job centre to look for cleaning work",
],
"democracy": [
 "asked councillors why consultations were only published in English",
 "said that they had never been invited to a ward meeting",
 "wanted to know how to become a school governor",
 "questioned the panel about overcrowded housing in {borough2}",
 "called for interpreters at council meetings",
 "registered to vote for the first time after the event",
 "described the council as distant and difficult to reach",
 "asked the police inspector about stop and search",
 "praised the informal format of the evening",
 "suggested that councillors hold surgeries at {venue}",
 "said that their views had been ignored in the regeneration plans",
 "wanted more young people on the panel",
 "asked who decides how the council spends its budget",
 "followed up the meeting with a letter to their MP",
 "offered to help organise the next event in {borough2}",
 "asked why the council's website was so hard to use",
],
"destitution": [
 "slept on friends' floors for {n} months after their support was stopped",
 "relied on a weekly food parcel from a church in {borough2}",
 "walked across London to save the bus fare to a solicitor",
 "described the shame of asking strangers for help",
 "stayed in a night shelter run by volunteers during the winter",
 "lost contact with their solicitor when their phone was cut off",
 "had been refused help by the council because of immigration status",
 "received a small weekly grant from the hardship fund",
 "said that hunger made it impossible to concentrate on their case",
 "found a room through a hosting scheme",
 "felt afraid to see a doctor in case of being reported",
 "described sleeping in a hospital waiting room to keep warm",
 "lived on less than £{n}0 a week for most of the year",
 "collected food from a market stall at the end of the day",
 "washed at a day centre in {borough2} before going to appointments",
],
"organising": [
 "held one-to-one conversations with neighbours in {borough2}",
 "spoke at an assembly attended by {big} people",
 "persuaded {n} friends to register to vote",
 "asked the candidates to commit to meeting them after the election",
 "led a house meeting about rents and repairs",
 "trained as leaders over {n} weekends",
 "told a story of migration in front of a packed hall",
 "built an alliance with the local tenants' association",
 "evaluated the action and planned the next step",
 "won a meeting with the housing director",
 "organised a listening session at {venue}",
 "brought members of their congregation to the assembly",
 "mapped the institutions in {borough2} that might join the campaign",
 "practised a two-minute testimony with a mentor",
],
"euss": [
 "applied to the scheme after hearing about it at {venue}",
 "did not realise that children also needed to apply",
 "received pre-settled status despite {n} years of residence",
 "struggled to upload documents on a mobile phone",
 "waited months for a decision on a late application",
 "had been asked by an employer for a physical card",
 "needed help to generate a share code for a landlord",
 "assumed that an old residence card was enough",
 "made a late application with the help of a volunteer",
 "lost a job while waiting for a decision",
 "found the online form impossible to complete without help",
 "applied on behalf of an elderly parent in {borough2}",
],
"hostile": [
 "had been asked for a passport when renting a room in {borough2}",
 "had a bank account closed without explanation",
 "had been refused a job because of a misunderstanding about a visa",
 "stopped going to the doctor after receiving a letter about charges",
 "kept copies of every document in a folder at home",
 "attended a know-your-rights session at {venue}",
 "had been told by a landlord to leave within forty-eight hours",
 "feared that reporting a crime would lead to questions about status",
 "asked an adviser to write to the Home Office on their behalf",
 "had been wrongly told by a college that a visa check was needed to enrol",
],
"domestic": [
 "worked {n} hours a day without a day off",
 "had a passport taken by an employer",
 "escaped with the help of a friend met at church",
 "joined a domestic workers' group that meets in {borough2}",
 "learnt about employment rights at a Sunday English class",
 "claimed unpaid wages with the support of a trade union",
 "slept on the floor of a child's bedroom",
 "had been paid less than half of the minimum wage",
 "kept a secret diary of hours worked",
],
"interpreting": [
 "asked for an interpreter but was told none was available",
 "used a teenage son to interpret at a hospital appointment",
 "praised an interpreter who explained difficult medical terms clearly",
 "found telephone interpreting hard to follow",
 "requested a female interpreter for a gynaecology appointment",
 "trained as a volunteer interpreter in {lang}",
 "said that the interpreter spoke a different dialect",
 "waited {n}0 minutes for a telephone interpreter to be connected",
],
"voter": [
 "registered to vote online for the first time",
 "helped {n} neighbours to fill in registration forms",
 "asked whether photo identification was needed",
 "applied for a postal vote",
 "attended a hustings at {venue}",
 "checked the electoral register at the town hall",
 "ran a registration stall outside a supermarket in {borough2}",
],
"org": [
 "worked with {num} organisations during the year",
 "ran {n} sessions on governance and fundraising",
 "supported members through a difficult funding climate",
 "organised a celebration at {venue}",
 "welcomed {n} new volunteers",
 "helped {big} people with advice",
 "held regular meetings with local officials",
 "published a guide to small grants",
 "took part in a financial management course run by the Forum",
],
"news": [
 "raised £{grant} for the hardship fund",
 "celebrated {n} years of running a Saturday school",
 "opened a new drop-in at {venue}",
 "won a small grant for a summer trip to the seaside",
 "hosted a community lunch with food from {city} and {city2}",
 "organised a sponsored walk along the river",
 "started a conversation club for people who are learning English",
],
}
# Book chapter and teaching pack use their own subjects.
OWN_SUBJ = {
"identity": ["Writers on national identity", "Politicians of every party", "Teachers in {borough}", "Young Londoners",
             "The children of migrants from {city}", "Older residents of {borough}", "Commentators in the press",
             "People who arrived from {city} in the 1960s", "Members of the discussion groups",
             "Football supporters in {borough}", "Historians of migration", "Many of the people I spoke to"],
"education": ["Students", "Each group", "Pairs of students", "The class", "Students working independently",
              "More confident students", "Students who need support"],
}
FRAMES["identity"] = [
 "have long argued about what holds the country together",
 "often describe themselves as both British and something else",
 "rarely agree on what Britishness means",
 "speak of belonging in terms of neighbourhood rather than nation",
 "have returned again and again to the question of loyalty",
 "tend to locate the nation in an imagined past",
 "have found that an accent marks people out as much as skin colour",
 "see the citizenship ceremony as a welcome rather than a test",
 "have made the city their own in ways the census cannot record",
 "describe Britain as a place of arrival rather than a place of origin",
 "measure belonging by friendships rather than by documents",
 "treat the question of identity as a practical matter of everyday life",
]
FRAMES["education"] = [
 "could compare two of the memories and list the similarities",
 "might draw a timeline of one family's journey",
 "should write a short letter home in the voice of a new arrival",
 "can use the photographs to describe life in London in the 1970s",
 "could interview a grandparent about a journey",
 "might design a poster welcoming new pupils to the school",
 "should identify three reasons why people move",
 "could write a diary entry for the first day in a new country",
 "can present their findings to the rest of the class",
 "might research a street market in their own area",
]
FRAME_ONLY_OWN = {"identity", "education"}

BANKS["memory"] = [
 "{mname} left {mtown} in {myear} with a work permit for a hotel kitchen in London.",
 "The first winter was the coldest {mname} had ever known.",
 "{mname} shared a room in North Kensington with three other workers from {mtown}.",
 "Every Friday, {mname} sent part of the wages home to the family in {mtown}.",
 "{mname} remembers the smell of mint tea in a café on Golborne Road.",
 "At first {mname} spoke no English, only Arabic, Spanish and a little French.",
 "The hotel manager gave {mname} a new name because he could not pronounce the real one.",
 "The children were born at St Mary's Hospital and grew up speaking English at school.",
 "On Sundays the families met in each other's flats to cook and listen to music.",
 "{mname} still keeps the letter that confirmed the first job in London.",
 "When {mname} went back to {mtown} on holiday, the neighbours called {mname} the Londoner.",
 "The market on Portobello Road reminded {mname} of the souk in {mtown}.",
 "{mname} learnt English at evening classes after long shifts in the kitchen.",
 "In {myear}, the rest of {mname}'s family arrived in London.",
 "Letters from home took two weeks to arrive, and a telephone call had to be booked in advance.",
 "{mname} says that London became home on the day the children started school.",
 "The mosque and the community centre became places to share news from {mtown}.",
 "{mname} was proud to vote for the first time in a local election.",
 "Looking back, {mname} says that leaving {mtown} was both the hardest and the best decision.",
 "There were only two shops in the area that sold the spices {mname} needed for cooking.",
 "{mname} worked in the same restaurant for more than twenty years.",
 "The journey took three days by train and ferry, through Spain and France.",
]
SLOTS["mname"] = ["Latifa", "Mohammed", "Khadija", "Abdelkader", "Fatiha", "Rachid", "Naima", "Mustapha",
                  "Zohra", "Driss", "Malika", "Youssef"]
SLOTS["mtown"] = ["Larache", "Tetouan", "Tangier", "Casablanca", "Fès", "Ksar el-Kebir", "Marrakech", "Oujda"]

DIARY = ["Members' networking breakfast", "Training: writing funding bids", "Annual general meeting",
         "Health champions open day", "Women's group celebration", "Youth forum meeting",
         "English conversation club restarts", "Know your rights session", "Community lunch in {borough}",
         "Film night for the hardship fund", "Trustees' induction evening", "Volunteer welcome session"]

RECS = {
"health": [
 "Every GP practice should publish a clear registration policy that does not require proof of address or immigration status.",
 "Primary care organisations should provide regular training for reception staff on the entitlements of migrants.",
 "Professional interpreting should be available for every appointment where it is needed.",
 "Health bodies should fund community organisations to act as a bridge between new communities and local services.",
 "Information about the NHS should be available in the main community languages of each borough.",
 "Charging rules should be reviewed so that no one is deterred from seeking essential care.",
],
"skills": [
 "The professional regulators should publish clear, single guides to registration for overseas-qualified staff.",
 "Funding should be made available for examination fees for refugee health professionals on low incomes.",
 "NHS employers should expand clinical attachment and adaptation schemes.",
 "Careers advisers should receive training on the recognition of overseas qualifications.",
 "Asylum seekers with professional qualifications should be able to begin the registration process while their claims are decided.",
 "Data on refugees applying for registration should be collected and published each year.",
],
"democracy": [
 "Councils should publish a simple guide to local decision-making in their main community languages.",
 "Ward meetings should be held at accessible times, with childcare and interpreting where needed.",
 "Electoral registration officers should work with community organisations to reach eligible residents.",
 "Political parties should actively recruit candidates from new communities.",
 "Consultations should be short, clear and available in formats that people can use.",
 "Councillors should hold regular open meetings with refugee and migrant community organisations.",
],
"destitution": [
 "No one should be left destitute as a result of immigration policy.",
 "Asylum seekers should be given the right to work after six months.",
 "Support should continue until a person leaves the country or is granted leave to remain.",
 "Local authorities should adopt clear and humane procedures for families with no recourse to public funds.",
 "Funding for free immigration advice should be restored.",
 "Emergency accommodation should be available to anyone sleeping rough, regardless of status.",
],
"organising": [
 "Funders should support long-term community organising rather than short projects.",
 "Political parties should meet organised communities before, during and after elections.",
 "Member organisations should invest in training new leaders every year.",
 "Councils should treat organised communities as partners rather than as lobbyists.",
 "Voter registration should be built into the everyday work of community organisations.",
],
"euss": [
 "The Home Office should accept late applications generously and without delay.",
 "People with pre-settled status should be moved automatically to settled status.",
 "Everyone with status under the scheme should be able to obtain a physical document on request.",
 "Funding for outreach to groups at risk of missing out should continue.",
 "Employers and landlords should receive clearer guidance on checking digital status.",
],
}

TIPS = {
"health": [
 "Register with a GP as soon as you arrive; you do not need to show a passport.",
 "Ask the receptionist for an interpreter when you book your appointment.",
 "Bring a list of any medicines you take, in English if possible.",
 "[2013] Use NHS 111 when you need advice but it is not an emergency.",
 "Call 999 in an emergency.",
 "Ask for a longer appointment if you need to discuss more than one problem.",
 "Keep your NHS number in a safe place.",
 "If you are refused registration, ask for the reason in writing.",
 "Pharmacists can give advice on minor illnesses without an appointment.",
 "Tell the surgery if your address or telephone number changes.",
],
"practice": [
 "Agree a named contact at each surgery for your organisation.",
 "Train volunteers before they accompany people to appointments.",
 "Keep a simple record of every case where registration is refused.",
 "Invite practice managers to your community events.",
 "Share good news as well as complaints with local health bodies.",
 "Offer to review leaflets and posters before they are printed.",
 "Hold joint sessions with reception staff and community workers.",
 "Map which local surgeries offer interpreting and longer appointments.",
 "Check that translated material is tested with community members.",
 "Use community radio and social media to explain entitlements.",
],
"interpreting": [
 "Book a professional interpreter in advance.",
 "Confirm the language and dialect with the client.",
 "Allow at least twice the usual time for the meeting.",
 "Introduce everyone and explain the role of the interpreter.",
 "Speak in the first person and look at the client.",
 "Avoid jargon, idioms and long lists.",
 "Check understanding by asking the client to summarise.",
 "Never use children as interpreters.",
 "Respect confidentiality at all times.",
 "Offer the interpreter a short debriefing after a difficult session.",
],
"domestic": [
 "Keep your passport and visa in your own possession.",
 "Write down your hours, your pay and your days off.",
 "Save the phone numbers of friends, your embassy and an advice service.",
 "Ask for a written contract in a language you understand.",
 "Join a domestic workers' group to meet others and learn about your rights.",
 "If you leave, take your documents and any evidence of your work.",
 "Speak to an adviser before you sign anything.",
 "Call 999 if you are in immediate danger.",
 "Keep copies of messages from your employer.",
 "Find out where your nearest law centre is.",
],
"hostile": [
 "Keep copies of your immigration documents and letters from the Home Office.",
 "Do not hand over original documents unless you are sure it is necessary.",
 "Get advice from a regulated adviser before you respond to any request.",
 "[2010] Remember that you can always get urgent medical treatment.",
 "Tell us if you are refused a service because of your status.",
 "Attend a know-your-rights session at a member organisation near you.",
 "Check the expiry date on your leave and apply to extend in good time.",
 "Do not pay anyone who promises to fix your immigration status quickly.",
],
"voter": [
 "Register online or ask for a paper form from your council.",
 "Check whether you need photo identification to vote.",
 "Apply for a postal vote if you cannot get to the polling station.",
 "Find your polling station on your poll card.",
 "Go to a hustings and ask the candidates a question.",
 "Help a neighbour or friend to register.",
 "Register again whenever you move home.",
 "Ask your council for a Voter Authority Certificate if you need one.",
],
"organising": [
 "Hold one-to-one conversations before you plan any action.",
 "Choose an issue that is specific, winnable and widely felt.",
 "Identify the person who can make the decision you need.",
 "Prepare and rehearse testimonies before a public meeting.",
 "Evaluate every action straight away.",
 "Celebrate every win, however small.",
 "Keep records of every conversation and follow up within a week.",
 "Build relationships with other institutions in your area.",
],
}

# Notes (footnote-like) for the book chapter: generic, no invented citations.
NOTE_BANK = [
 "This phrase was used by a participant at a community meeting in {borough}.",
 "The examples in this section are drawn from conversations with members of the Forum.",
 "Figures are approximate and are given only to indicate the scale of change.",
 "The term is used here in its everyday sense rather than in its legal sense.",
 "For a longer discussion of this point, see the introduction to this collection.",
 "The interview took place in a café in {borough} and has been shortened for clarity.",
 "Names and some details have been changed to protect the privacy of the people concerned.",
 "The same argument has been made about many earlier periods of migration.",
 "The first citizenship ceremonies were planned for 2004.",
 "The comparison with {city} was suggested by one of the members of the discussion group.",
 "This is a composite account based on several similar stories.",
 "The wording here follows the published guidance as it stood at the time of writing.",
 "A fuller account of this project is given in the Forum's own publications.",
 "The point was made repeatedly in discussion groups held during the previous year.",
 "It should be noted that the experience of women was often quite different.",
 "See the discussion of citizenship education in a later chapter of this collection.",
 "The speaker had lived in {borough} for {n} years at the time of the conversation.",
 "Similar views were expressed by teachers in {borough} and {borough2}.",
 "The phrase is borrowed from a newspaper headline of the period.",
 "This paragraph draws on an interview recorded in {year}.",
 "The quotation has been translated from {lang}.",
 "Older members of the group remembered the same debate from the 1970s.",
 "The point is developed further in the conclusion of this chapter.",
 "The distinction between nationality and citizenship is often blurred in public debate.",
 "At the time of writing, the rules on naturalisation were under review.",
 "Several readers of an earlier draft questioned this claim; I have kept it because it reflects what people said.",
 "The example was given by a youth worker in {borough}.",
 "This is a paraphrase rather than a direct quotation.",
 "A similar story was told by a family from {city}.",
 "The word is used by many of the young people I spoke to, often with irony.",
 "The numbers refer to London only.",
 "I am grateful to members of the Forum for this observation.",
]

HEADLINES = [
 "Health champions celebrate their first year", "New drop-in opens in {borough}",
 "Members meet the borough commander", "Summer celebration brings communities together",
 "Saturday school goes from strength to strength", "Training for member groups",
 "Women's group launches sewing cooperative", "Young people take the lead",
 "Advice line extends opening hours", "Football tournament in {borough}",
 "Volunteer of the season", "Funding news for member groups", "Policy update",
 "From our members", "Diary dates", "News in brief", "Welcome to our new staff",
 "A café with a difference", "Voices from the drop-in", "Get involved",
 "Hardship fund appeal", "Know your rights", "English classes start again",
 "Meeting the MP", "Members' networking breakfast", "Campaign update",
]

TABLE_OUTCOMES = [
 "Six nurses completed adaptation and were employed on permanent contracts.",
 "Places were offered but the scheme closed when funding ended.",
 "Three doctors passed the clinical examination at the first attempt.",
 "Mentors met candidates weekly for a period of six months.",
 "Study groups ran on Saturday mornings at the local hospital.",
 "A small grants fund paid examination fees for eleven candidates.",
 "Candidates shadowed ward staff for up to twelve weeks.",
 "Language support was delivered by the adult education college.",
]

# ---------------------------------------------------------------------------
# Planted phrases: (stem, page, context, phrase, distinctive word)
# ---------------------------------------------------------------------------
PLANTS = [
 ("2004-01-what-is-british", 11, "body", "My grandmother in Penhallowick never owned a passport.", "Penhallowick"),
 ("2006-01-losing-out-twice", 23, "body", "Nurses trained in Marrowvale waited nine months for registration.", "Marrowvale"),
 ("2006-01-losing-out-twice", 37, "table", "Kettleborough clinic placed two refugee doctors in one year.", "Kettleborough"),
 ("2006-01-losing-out-twice", 50, "two-column", "A pharmacist from Quillinghame now drives a minicab at night.", "Quillinghame"),
 ("2009-07-mrcf-newsletter-july-2009", 5, "two-column", "The Bramblestoke choir sang at our summer picnic.", "Bramblestoke"),
 ("2009-11-newsletter-november-2009", 3, "two-column", "Volunteers from Yarrowmead handed out leaflets at the market.", "Yarrowmead"),
 ("2009-12-strangers-or-citizens", 27, "two-column", "Councillor Okerundu answered questions for almost two hours.", "Okerundu"),
 ("2009-12-strangers-or-citizens", 33, "body", "Residents of Trevanneth Road asked why nobody had visited them.", "Trevanneth"),
 ("2010-03-good-practice-guide-accessing-health", 14, "list", "Ask reception at Duvessary Health Centre about interpreters.", "Duvessary"),
 ("2010-03-moroccan-memories-in-britain", 9, "worksheet", "Hassan arrived at Vantabridge station with one suitcase.", "Vantabridge"),
 ("2011-03-newsletter-spring-2011", 2, "two-column", "Our Caddenhurst allotment group grew tomatoes and mint.", "Caddenhurst"),
 ("2013-10-living-on-nothing", 18, "table", "Skellowmarsh night shelter turned away eleven people in March.", "Skellowmarsh"),
 ("2013-10-living-on-nothing", 40, "body", "Mrs Lindqvarn slept on a bus for three weeks.", "Lindqvarn"),
 ("2015-06-build-common-ground", 26, "body", "Two hundred people packed the Ashcombery Methodist hall.", "Ashcombery"),
 ("2018-05-hostile-environment-briefing", 3, "body", "A landlord in Hasselgrove asked to see her passport.", "Hasselgrove"),
 ("2021-09-after-the-deadline", 15, "body", "Marta from Orriswick applied three years after the deadline.", "Orriswick"),
 ("2023-10-annual-report-2022-2023", 9, "table", "Mbeyawood youth panel met twelve times this year.", "Mbeyawood"),
 ("2026-01-newsletter-winter-2026", 6, "two-column", "The Corvantis supper club raised money for the hardship fund.", "Corvantis"),
]

# Words whose accented / ligature forms the tests may rely on (reported, computed).
ACCENTED_WORDS = ["café", "cafés", "naïve", "São", "Zürich", "Bogotá", "Kraków", "Fès", "crèche", "Medellín"]
LIGATURE_WORDS = ["financial", "office", "offices", "affluent", "fluent", "first", "qualified", "reflect",
                  "qualifications", "difficult", "difference", "staff", "conflict"]


# ---------------------------------------------------------------------------
# Text generator
# ---------------------------------------------------------------------------
class Gen:
    def __init__(self, rng, year, org=MRCF):
        self.rng = rng
        self.year = year
        self.org = org
        self.used = {}

    def _slot(self, base, taken):
        rng = self.rng
        if base in SLOTS:
            choices = [c for c in SLOTS[base] if c not in taken] or SLOTS[base]
            v = rng.choice(choices)
        elif base == "n":
            v = str(rng.randint(2, 12))
        elif base == "num":
            v = str(rng.randint(20, 60))
        elif base == "big":
            v = "{:,}".format(rng.randrange(120, 2400, 10))
        elif base == "pct":
            v = str(rng.randint(8, 84))
        elif base == "weeks":
            v = str(rng.randint(3, 30))
        elif base == "year":
            v = str(rng.randint(max(1998, self.year - 6), self.year - 1 if self.year > 1999 else self.year))
        elif base == "money":
            v = "{:,}".format(rng.randrange(90000, 640000, 50))
        elif base == "myear":
            v = str(rng.randint(1962, 1978))
        elif base == "grant":
            v = "{:,}".format(rng.randrange(250, 1000, 50))
        else:
            raise KeyError(base)
        return v

    def fill(self, tpl):
        tpl = re.sub(r"^\[-?\d{4}\] ", "", tpl)
        values = {}
        taken = {}

        def rep(m):
            key = m.group(1)
            if key in values:
                return values[key]
            base = key.rstrip("0123456789")
            if key == "num2":
                lo = int(values.get("num", "30"))
                v = str(self.rng.randint(lo + 5, lo + 30))
            else:
                v = self._slot(base, taken.setdefault(base, set()))
            taken.setdefault(base, set()).add(v)
            values[key] = v
            return v
        out = re.sub(r"\{(\w+)\}", rep, tpl)
        if self.org == MO:
            out = out.replace("the Forum", "Migrants Organise").replace("The Forum", "Migrants Organise")
        # a/an agreement after slot filling (u-words and "Eu..." keep "a")
        return re.sub(r"\b([Aa]) (?=[AEIOaeio])(?!Eu|eu|one\b)", lambda m: m.group(1) + "n ", out)

    def ok(self, t):
        # optional prefix "[YYYY] " (earliest year) or "[-YYYY] " (latest year)
        m = re.match(r"\[(-?)(\d{4})\] ", t)
        if not m:
            return True
        return self.year <= int(m.group(2)) if m.group(1) else int(m.group(2)) <= self.year

    def pick(self, bank_names, k):
        """k distinct templates from the pooled banks, cycling through them."""
        key = tuple(bank_names)
        pool = [t for b in bank_names for t in BANKS[b] if self.ok(t)]
        st = self.used.setdefault(key, [])
        out = []
        while len(out) < k:
            if not st:
                st.extend(self.rng.sample(pool, len(pool)))
            t = st.pop()
            if t not in out:
                out.append(t)
        return out

    def sentence(self, tpl, connectors=True):
        s = self.fill(tpl)
        first = s.split(" ", 1)[0]
        if connectors and first in LOWERABLE and self.rng.random() < 0.18 and not s.endswith("?"):
            conn = self.fill(self.rng.choice(CONNECTORS))
            s = conn + s[0].lower() + s[1:]
        return s

    def compose(self, bank):
        rng = self.rng
        subj = OWN_SUBJ[bank] if bank in FRAME_ONLY_OWN else GEN_SUBJ
        tpl = rng.choice(subj) + " " + rng.choice(FRAMES[bank])
        if bank not in FRAME_ONLY_OWN:
            tpl += rng.choice(TAILS)
        s = self.fill(tpl + ".")
        return s[0].upper() + s[1:]

    def sentences(self, banks, k):
        framed = [b for b in banks if b in FRAMES]
        conn = not any(b in ("memory", "education", "identity") for b in banks)
        out = []
        for t in self.pick(banks, k):
            r = self.rng.random()
            if conn and r < 0.12:
                out.append(self.sentence(self.pick(["context"], 1)[0], conn))
            elif framed and r < 0.5:
                out.append(self.compose(self.rng.choice(framed)))
            else:
                out.append(self.sentence(t, conn))
        return out

    def para(self, banks, lo=3, hi=6):
        return " ".join(self.sentences(banks, self.rng.randint(lo, hi)))

    def quote(self):
        q = self.fill(self.rng.choice([t for t in QUOTES if self.ok(t)]))
        who = self.fill("{name}, {role}, {borough}")
        return "\u201c" + q + "\u201d \u2014 " + who

    def items(self, bank, k):
        src = [self.fill(t) for t in (TIPS[bank] if bank in TIPS else RECS[bank]) if self.ok(t)]
        return self.rng.sample(src, min(k, len(src)))


# ---------------------------------------------------------------------------
# Page model
# ---------------------------------------------------------------------------
def nwords(text):
    return len(text.split())


class Page:
    def __init__(self, cols=1):
        self.cols = cols
        self.blocks = []
        self.words = 0

    def add(self, kind, payload, weight=None):
        if weight is None:
            if isinstance(payload, str):
                weight = nwords(payload)
            elif kind in ("bullets", "numbers"):
                weight = sum(nwords(i) + 5 for i in payload)
            else:
                weight = 0
        self.blocks.append((kind, payload))
        self.words += weight
        return self


class Doc:
    def __init__(self, pub):
        self.pub = pub
        self.year = int(pub["date"][:4])
        self.rng = random.Random("pubsearch-sample:" + pub["stem"])
        self.gen = Gen(self.rng, self.year, pub["author"])
        self.pages = []
        self.toc = []  # (label, page)
        self.plants = {}
        for stem, page, ctx, phrase, word in PLANTS:
            if stem == pub["stem"]:
                self.plants[page] = (ctx, phrase)
        self.used_plants = set()
        self.budget = pub["style"]["budget"]

    @property
    def next_pno(self):
        return len(self.pages) + 1

    def plant_ctx(self, pno=None):
        pno = pno or self.next_pno
        p = self.plants.get(pno)
        return p[0] if p else None

    def take_plant(self, pno, ctxs):
        p = self.plants.get(pno)
        if p and p[0] in ctxs and pno not in self.used_plants:
            self.used_plants.add(pno)
            return p[1]
        return None

    def new_page(self, cols=1, toc=None):
        if self.plant_ctx() == "two-column":
            cols = 2
        p = Page(cols)
        self.pages.append(p)
        if toc:
            self.toc.append((toc, len(self.pages)))
        return p

    def fill(self, page, banks, budget=None, quotes=True, lo=3, hi=6):
        """Add paragraphs (and the odd quotation) until the page budget is used."""
        budget = budget or self.budget
        if page.cols == 2:
            budget = int(budget * 0.97)
        pno = len(self.pages)
        while True:
            remaining = budget - page.words
            if remaining < 45:
                break
            phrase = self.take_plant(pno, ("body", "two-column", "worksheet"))
            last = page.blocks[-1][0] if page.blocks else None
            if quotes and not phrase and last != "quote" and self.rng.random() < 0.14 and remaining > 60:
                page.add("quote", self.gen.quote())
                continue
            k = self.rng.randint(lo, hi)
            sents = self.gen.sentences(banks, k)
            while len(sents) > 1 and sum(nwords(s) for s in sents) > remaining:
                sents.pop()
            if phrase:
                sents.insert(min(1, len(sents)), phrase)
            page.add("p", " ".join(sents))
        return page


# ---------------------------------------------------------------------------
# Shared page builders
# ---------------------------------------------------------------------------
def fmt_date(pub):
    d = dt.date.fromisoformat(pub["date"])
    return d.strftime("%B %Y")


def cover(doc, kicker, extra=None):
    pub = doc.pub
    p = doc.new_page()
    p.add("spacer", 6, 0)
    p.add("kicker", kicker)
    p.add("cover_title", pub.get("cover_title", pub["title"]), 4 * nwords(pub["title"]))
    if pub.get("subtitle"):
        p.add("cover_sub", pub["subtitle"])
    p.add("spacer", 4, 0)
    p.add("cover_meta", pub["author"])
    p.add("cover_meta", fmt_date(pub))
    if extra:
        p.add("spacer", 3, 0)
        p.add("p", extra)
    return p


def contents_page(doc):
    p = doc.new_page()
    p.add("h1", "Contents")
    p.add("toc", None, 0)
    return p


def finish_toc(doc, p):
    rows = [[label, str(pg)] for label, pg in doc.toc]
    for i, (k, v) in enumerate(p.blocks):
        if k == "toc":
            p.blocks[i] = ("table", {"header": ["Section", "Page"], "rows": rows, "widths": [13.0, 3.0],
                                     "size": 10})


def table_block(header, rows, widths, size=9.5):
    return ("table", {"header": header, "rows": rows, "widths": widths, "size": size})


def about_page(doc, banks):
    p = doc.new_page(toc="About us")
    p.add("h1", "About us")
    org = doc.pub["author"]
    if org == MRCF:
        intro = ("The Migrant and Refugee Communities Forum (MRCF) is a London-wide network of refugee "
                 "and migrant community organisations. It supports its members to be heard, to run "
                 "effective organisations and to work together on the issues that matter to them.")
    else:
        intro = ("Migrants Organise, formerly the Migrant and Refugee Communities Forum (MRCF), is a "
                 "platform where refugees and migrants organise for power, dignity and justice.")
    p.add("p", intro)
    doc.fill(p, banks, budget=int(doc.budget * 0.6), quotes=False)
    p.add("p", "This publication is sample text created for a software test library. "
               "Any resemblance to real people or events is coincidental.")
    return p


# ---- tables ------------------------------------------------------------------
def make_table(doc, kind, pno):
    g, rng = doc.gen, doc.rng
    phrase = doc.take_plant(pno, ("table",))
    if kind == "professions":
        profs = ["Doctor", "Nurse", "Midwife", "Pharmacist", "Dentist", "Physiotherapist", "Radiographer"]
        rows = []
        for prof in profs:
            rows.append([prof, g.fill("{city}"), str(rng.randint(1, 7)), rng.choice(
                ["Care assistant", "Cleaner", "Minicab driver", "Unemployed", "Health care assistant",
                 "Student", "Security guard", "Shop worker"])])
        t = table_block(["Profession", "Trained in", "Years waiting", "Current work"], rows, [3.5, 4, 3, 5.5])
    elif kind == "placements":
        rows = []
        outcomes = rng.sample(TABLE_OUTCOMES, 6)
        for i, o in enumerate(outcomes):
            rows.append([g.fill("{borough}"), str(rng.randint(2001, doc.year - 1)), o])
        if phrase:
            rows[3][2] = phrase
        t = table_block(["Scheme area", "Started", "Outcome"], rows, [3.5, 2.0, 10.5])
    elif kind == "participants":
        rows = []
        for b in rng.sample(SLOTS["borough"], 7):
            rows.append([b, str(rng.randint(6, 40)), str(rng.randint(20, 75)) + "%", g.fill("{lang}, {lang2}")])
        t = table_block(["Borough", "Participants", "Women", "Main languages"], rows, [4.5, 3, 2.5, 6])
    elif kind == "events":
        rows = []
        months = ["February", "March", "May", "June", "September", "October"]
        for i, b in enumerate(rng.sample(SLOTS["borough"], 6)):
            rows.append([str(i + 1), b, f"{months[i]} {doc.year}", str(rng.randint(30, 60)),
                         rng.choice(["Housing and schools", "Policing and safety", "Youth services",
                                     "Health and social care", "Jobs and training", "Council consultations"])])
        t = table_block(["Event", "Borough", "Date", "Attendance", "Main issues"], rows, [1.5, 4, 3.5, 2.5, 4.5])
    elif kind == "voting":
        rows = [["British citizens", "Yes", "Yes"], ["Irish citizens", "Yes", "Yes"],
                ["Qualifying Commonwealth citizens", "Yes", "Yes"],
                ["Citizens of other European countries", "Local elections only", "No"],
                ["Other nationalities", "No", "No"], ["Refugees without citizenship", "Depends on nationality", "Depends on nationality"]]
        t = table_block(["Group", "Local elections", "General elections"], rows, [7, 4.5, 4.5])
    elif kind == "services":
        rows = []
        notes = ["Open three nights a week during the winter.", "Hot meals and a shower every weekday.",
                 "Advice sessions were fully booked within an hour.", "Food parcels for families with children.",
                 "Volunteers reported a rise in first-time visitors.", "Clothing store and phone charging."]
        names = ["Night shelter", "Drop-in centre", "Advice surgery", "Food bank", "Day centre", "Hardship fund"]
        for i in range(6):
            rows.append([names[i], g.fill("{borough}"), notes[i]])
        if phrase:
            rows[0][2] = phrase
        t = table_block(["Service", "Borough", "Observation"], rows, [3.5, 3.5, 9])
    elif kind == "conversations":
        rows = []
        for b in rng.sample(SLOTS["borough"], 7):
            rows.append([b, "{:,}".format(rng.randint(80, 900)), str(rng.randint(3, 30)),
                         rng.choice(["Housing", "Wages", "Schools", "Safety", "Respect", "Health"])])
        t = table_block(["Borough", "Conversations", "New leaders", "Top issue"], rows, [4.5, 3.5, 3, 5])
    elif kind == "statuses":
        rows = [["Settled status", "Indefinite leave to remain", "Five years' continuous residence"],
                ["Pre-settled status", "Limited leave for five years", "Residence before the end of 2020"],
                ["Certificate of application", "Temporary protection of rights", "Valid application made"],
                ["Refused", "No status under the scheme", "Appeal or administrative review"],
                ["Late application", "Considered case by case", "Reasonable grounds for delay"]]
        t = table_block(["Outcome", "What it means", "Usual basis"], rows, [4, 6, 6])
    elif kind == "applications":
        rows = []
        for c in rng.sample(["Polish", "Romanian", "Portuguese", "Bulgarian", "Italian", "Spanish", "Lithuanian", "Hungarian"], 6):
            rows.append([c, str(rng.randint(40, 400)), str(rng.randint(5, 60)), str(rng.randint(0, 12))])
        t = table_block(["Nationality", "Applications", "Late applications", "Refusals"], rows, [4.5, 4, 4, 3.5])
    elif kind == "numbers":
        rows = [["People given advice", "{:,}".format(rng.randint(600, 3000))],
                ["Member organisations", str(rng.randint(40, 160))],
                ["Training sessions", str(rng.randint(20, 90))],
                ["Volunteer hours", "{:,}".format(rng.randint(2000, 9000))],
                ["Young people involved", str(rng.randint(30, 250))],
                ["Briefings published", str(rng.randint(3, 14))]]
        t = table_block(["Measure", "This year"], rows, [10, 6])
    elif kind == "projects":
        highlights = ["Weekly sessions continued throughout the year.", "New leaders trained in every borough.",
                      "Casework capacity doubled after new funding.", "Members spoke at a parliamentary meeting.",
                      "A residential weekend for thirty members.", "Monthly surgeries in three libraries."]
        names = ["Youth leadership", "Women organising", "Advice and casework", "Campaigns",
                 "Health access", "Digital inclusion"]
        rows = [[names[i], str(rng.randint(15, 300)), highlights[i]] for i in range(6)]
        if phrase:
            rows[0][2] = phrase
        t = table_block(["Project", "Participants", "Highlight"], rows, [4, 3, 9])
    elif kind == "finance":
        inc = [("Charitable trusts", rng.randint(80, 260)), ("Statutory grants", rng.randint(20, 120)),
               ("Donations", rng.randint(5, 40)), ("Membership fees", rng.randint(1, 8)),
               ("Other income", rng.randint(1, 15))]
        rows = [[a, "£{:,}".format(b * 1000)] for a, b in inc]
        rows.append(["Total income", "£{:,}".format(sum(b for _, b in inc) * 1000)])
        t = table_block(["Income", "Amount"], rows, [10, 6])
    elif kind == "finance2":
        exp = [("Advice and casework", rng.randint(40, 140)), ("Organising and campaigns", rng.randint(30, 120)),
               ("Training and capacity building", rng.randint(20, 80)), ("Office and financial administration", rng.randint(10, 40)),
               ("Governance", rng.randint(2, 10))]
        rows = [[a, "£{:,}".format(b * 1000)] for a, b in exp]
        rows.append(["Total expenditure", "£{:,}".format(sum(b for _, b in exp) * 1000)])
        t = table_block(["Expenditure", "Amount"], rows, [10, 6])
    elif kind == "curriculum":
        rows = [["Identities and diversity", "Lessons 1 and 2", "Worksheets 1 and 2"],
                ["Migration to and from the UK", "Lesson 3", "Worksheet 3"],
                ["Community participation", "Lesson 4", "Worksheet 4"],
                ["Critical thinking and enquiry", "All lessons", "Extension tasks"],
                ["Advocacy and representation", "Lesson 5", "Group presentation"]]
        t = table_block(["Citizenship theme", "Where covered", "Activity"], rows, [6, 4, 6])
    elif kind == "lesson":
        rows = [["Starter", "10 minutes", "Whole class discussion"], ["Main activity", "25 minutes", "Pairs or small groups"],
                ["Feedback", "10 minutes", "Groups report back"], ["Plenary", "5 minutes", "Individual reflection"]]
        t = table_block(["Stage", "Time", "Organisation"], rows, [5, 4, 7])
    elif kind == "glossary":
        rows = [["Asylum", "Protection given by a state to someone fleeing persecution."],
                ["Citizen", "A legal member of a state, with rights and responsibilities."],
                ["Community", "A group of people who share a place, an interest or an identity."],
                ["Emigration", "Leaving one country to live in another."],
                ["Heritage", "Traditions, stories and objects passed from one generation to the next."],
                ["Identity", "The sense of who a person is and where they belong."],
                ["Immigration", "Arriving to live in a new country."],
                ["Oral history", "History gathered by recording people's spoken memories."],
                ["Refugee", "A person recognised as needing protection from persecution."]]
        t = table_block(["Word", "Meaning"], rows, [4, 12])
    elif kind == "checklist":
        items = g.items("practice", 7)
        rows = [[it, "Yes / No / In progress"] for it in items]
        t = table_block(["Good practice point", "Status"], rows, [11, 5])
    elif kind == "contacts":
        rows = [["Emergency services", "999"], ["NHS non-emergency advice", "111"],
                ["Your GP surgery", "Write the number here"], ["Local advice service", "Write the number here"],
                ["Interpreting line", "Write the number here"]]
        t = table_block(["Service", "Telephone"], rows, [9, 7])
    elif kind == "diary":
        rows = []
        for _ in range(6):
            rows.append([f"{rng.randint(1, 28)} {g.fill('{month}')}", g.fill(rng.choice(DIARY))])
        t = table_block(["Date", "Event"], rows, [2.4, 5.4], size=8.5)
    else:
        raise KeyError(kind)
    if phrase and doc.plants.get(pno, (None,))[0] == "table" and pno not in doc.used_plants:
        raise RuntimeError("table plant not placed")
    return t


def content_page(doc, banks, heading=None, hlevel="h2", table=None, cols=1, toc=None, quotes=True):
    pno = doc.next_pno
    ctx = doc.plant_ctx(pno)
    if ctx == "table" and not table:
        table = doc.pub["style"]["plant_table"]
    p = doc.new_page(cols=cols, toc=toc)
    if heading:
        p.add(hlevel, heading, 18)
    if table:
        p.add("p", doc.gen.para(banks, 2, 3))
        kind = table
        t = make_table(doc, kind, pno)
        p.blocks.append(t)
        p.words += 12 + sum(sum(nwords(c) for c in r) + 6 for r in t[1]["rows"])
        p.add("note", "Table: " + ("figures are illustrative sample data." if kind not in ("glossary", "lesson", "curriculum", "statuses", "voting", "contacts", "checklist") else "summary."))
    doc.fill(p, banks, quotes=quotes)
    return p


def plant_list(doc, items):
    phrase = doc.take_plant(doc.next_pno - 1, ("list",))
    if phrase:
        items = list(items)
        items.insert(min(2, len(items)), phrase)
    return items


# ---------------------------------------------------------------------------
# Builders by type
# ---------------------------------------------------------------------------
def build_report(doc, spec):
    pub = doc.pub
    cover(doc, spec.get("kicker", "Report"), spec.get("cover_note"))
    toc_page = contents_page(doc)
    banks = spec["banks"]
    if spec.get("foreword", True):
        p = doc.new_page(toc="Foreword and acknowledgements")
        p.add("h1", "Foreword and acknowledgements")
        doc.fill(p, banks, budget=int(doc.budget * 0.75))
        p.add("p", "We would like to thank everyone who gave their time to this work, and the member "
                   "organisations who hosted meetings, shared contacts and offered their office space.")
    # executive summary
    for i in range(spec.get("summary_pages", 2)):
        p = doc.new_page(toc="Executive summary" if i == 0 else None)
        if i == 0:
            p.add("h1", "Executive summary")
            p.add("p", doc.gen.para(banks, 3, 4))
            p.add("h3", "Key findings", 5)
            p.add("bullets", doc.gen.sentences(banks, 5))
        else:
            p.add("h3", "Summary of recommendations", 5)
            recs = [r for b in spec.get("recs", []) for r in RECS[b]]
            doc.rng.shuffle(recs)
            p.add("numbers", recs[:6])
        doc.fill(p, banks)
    # chapters
    for ci, ch in enumerate(spec["chapters"], start=1):
        title, cbanks, npages, subs = ch[:4]
        opts = ch[4] if len(ch) > 4 else {}
        subs = list(subs)
        si = 0
        for pi in range(npages):
            table = opts.get("tables", {}).get(pi)
            cols = 2 if pi in opts.get("twocol", ()) else 1
            if pi == 0:
                p = content_page(doc, cbanks, f"{ci}. {title}", "h1", table=table, cols=cols,
                                 toc=f"{ci}. {title}")
                continue
            heading = None
            if si < len(subs) and (pi % 2 == 1 or cols == 2 or table or npages - pi <= len(subs) - si):
                heading = f"{ci}.{si + 1} {subs[si]}"
                si += 1
            if heading is None and (cols == 2 or doc.plant_ctx() == "two-column"):
                heading = doc.gen.fill("Case study: {name} in {borough}")
            content_page(doc, cbanks, heading, "h2", table=table, cols=cols)
    # recommendations
    if spec.get("recs"):
        n = len(spec["chapters"]) + 1
        p = doc.new_page(toc=f"{n}. Recommendations")
        p.add("h1", f"{n}. Recommendations")
        p.add("p", doc.gen.para(banks, 2, 3))
        for b in spec["recs"]:
            p.add("h3", b.replace("skills", "skills and employment").capitalize() if b != "euss" else "The EU Settlement Scheme", 5)
            p.add("numbers", RECS[b][:4])
            if p.words > doc.budget:
                p = doc.new_page()
                p.add("p", doc.gen.para(banks, 2, 3))
        doc.fill(p, banks, quotes=False)
    # appendices
    for ai, (atitle, kind) in enumerate(spec.get("appendices", [])):
        letter = "ABCDEFG"[ai]
        content_page(doc, banks, f"Appendix {letter}: {atitle}", "h1", table=kind,
                     toc=f"Appendix {letter}: {atitle}", quotes=False)
    about_page(doc, ["org"])
    finish_toc(doc, toc_page)


def build_newsletter(doc, spec):
    pub = doc.pub
    g = doc.gen
    p = doc.new_page()
    p.add("kicker", spec["masthead"])
    p.add("cover_title", spec.get("issue", fmt_date(pub)))
    p.add("cover_meta", pub["author"])
    p.add("h3", "In this issue", 5)
    heads = [g.fill(h) for h in doc.rng.sample([h for h in HEADLINES if h != "Diary dates"], 12)]
    p.add("bullets", heads[:5])
    p.add("h1", "Editorial")
    p.add("bold", "Welcome to the " + spec.get("issue", "latest") + " issue of our newsletter.")
    if spec.get("editorial"):
        p.add("p", spec["editorial"])
    doc.fill(p, spec["banks"], budget=int(doc.budget * 0.9))
    hi = 0
    for pi in range(2, spec["pages"] + 1):
        last = pi == spec["pages"]
        p = doc.new_page(cols=2)
        if last:
            p.add("h2", "Diary dates", 10)
            p.add("p", g.para(["news"], 2, 3))
            t = make_table(doc, "diary", pi)
            p.blocks.append(t)
            p.words += 110
            doc.fill(p, ["news"], quotes=False)
            continue
        narticles = doc.rng.choice([2, 3])
        for a in range(narticles):
            head = heads[hi % len(heads)]
            hi += 1
            p.add("h2", head, 12)
            banks = [doc.rng.choice(spec["banks"]), "news"]
            sub_budget = p.words + int(doc.budget * 1.05 / narticles)
            doc.fill(p, banks, budget=sub_budget, lo=2, hi=4)


def build_guide(doc, spec):
    cover(doc, spec.get("kicker", "Good practice guide"), spec.get("cover_note"))
    toc_page = contents_page(doc)
    banks = spec["banks"]
    p = doc.new_page(toc="About this guide")
    p.add("h1", "About this guide")
    if spec.get("intro"):
        p.add("p", spec["intro"])
    doc.fill(p, banks)
    for si, (title, sbanks, npages, tipbank) in enumerate(spec["sections"], start=1):
        for pi in range(npages):
            pno = doc.next_pno
            p = doc.new_page(toc=f"{si}. {title}" if pi == 0 else None)
            if pi == 0:
                p.add("h1", f"{si}. {title}", 18)
            else:
                p.add("h2", f"{si}.{pi} " + doc.rng.choice(spec["subheads"]), 12)
            p.add("p", doc.gen.para(sbanks, 2, 4))
            mode = (pi + si) % 3
            if mode == 0 or doc.plant_ctx(pno) == "list":
                p.add("h3", "Steps to take", 4)
                p.add("numbers", plant_list(doc, doc.gen.items(tipbank, 5)))
            elif mode == 1:
                p.add("h3", "Good practice points", 4)
                p.add("bullets", doc.gen.items(tipbank, 5))
            else:
                p.add("p", doc.gen.para(sbanks, 2, 4))
                t = make_table(doc, spec.get("table", "checklist"), pno)
                p.blocks.append(t)
                p.words += 120
            doc.fill(p, sbanks)
    content_page(doc, banks, "Useful contacts", "h1", table="contacts", toc="Useful contacts", quotes=False)
    about_page(doc, ["org"])
    finish_toc(doc, toc_page)


def build_edu(doc, spec):
    g = doc.gen
    cover(doc, "Educational resource", spec.get("cover_note"))
    toc_page = contents_page(doc)
    banks = ["education"]
    p = doc.new_page(toc="Notes for teachers")
    p.add("h1", "Notes for teachers")
    p.add("p", spec["intro"])
    doc.fill(p, banks)
    content_page(doc, banks, "Curriculum links", "h1", table="curriculum", toc="Curriculum links")
    for li, (ltitle, wtitle) in enumerate(spec["lessons"], start=1):
        # lesson plan page
        p = doc.new_page(toc=f"Lesson {li}: {ltitle}")
        p.add("h1", f"Lesson {li}: {ltitle}", 18)
        p.add("h3", "Learning objectives", 4)
        p.add("bullets", [g.fill(s) for s in doc.rng.sample([
            "Understand why people migrate and how migration changes communities.",
            "Use oral history as evidence about the past.",
            "Explain what citizenship means in a diverse society.",
            "Listen to and respect the experiences of others.",
            "Present a point of view clearly and with evidence.",
            "Reflect on their own identity and sense of belonging.",
            "Identify ways in which people take part in community life."], 3)])
        p.add("h3", "Activity", 4)
        p.add("numbers", g.sentences(banks, 4))
        t = make_table(doc, "lesson", doc.next_pno - 1)
        p.blocks.append(t)
        p.words += 70
        doc.fill(p, banks, budget=int(doc.budget * 0.95), quotes=False)
        # worksheet page
        pno = doc.next_pno
        p = doc.new_page(toc=f"Worksheet {li}: {wtitle}")
        p.add("h1", f"Worksheet {li}: {wtitle}", 18)
        p.add("p", "Name: ______________________   Class: __________   Date: __________")
        p.add("h3", "Read the memory", 4)
        story_budget = p.words + 170
        doc.fill(p, ["memory"], budget=story_budget, quotes=False, lo=4, hi=5)
        p.add("quote", g.quote())
        p.add("h3", "Questions", 4)
        qs = ["What reasons did people give for leaving home?", "What surprised them when they arrived?",
              "How did they keep in touch with family?", "Which places in London became important to them?",
              "What would you ask this person if you could meet them?", "How is this story similar to or different from your own family's?",
              "What does the word home mean to you?", "What made people feel welcome, and what made them feel unwelcome?"]
        p.add("numbers", doc.rng.sample(qs, 4))
        p.add("lines", 5, 40)
        # extension page
        p = doc.new_page()
        p.add("h2", f"Lesson {li}: extension and homework", 12)
        doc.fill(p, banks)
    content_page(doc, banks, "Glossary", "h1", table="glossary", toc="Glossary", quotes=False)
    p = doc.new_page(toc="Further activities")
    p.add("h1", "Further activities")
    p.add("bullets", g.sentences(banks, 5))
    doc.fill(p, banks)
    about_page(doc, ["org"])
    finish_toc(doc, toc_page)


def build_chapter(doc, spec):
    g = doc.gen
    p = doc.new_page()
    p.add("spacer", 5, 0)
    p.add("kicker", "Book chapter")
    p.add("cover_title", doc.pub["title"])
    p.add("cover_sub", "A chapter in a collection of essays on the future of cultural identity")
    p.add("cover_meta", doc.pub["author"])
    p.add("cover_meta", fmt_date(doc.pub))
    p.add("p", spec["abstract"])
    notes = []
    note_pool = []
    banks = spec["banks"]
    for pi in range(spec["prose_pages"]):
        p = doc.new_page()
        if pi in spec["subheads"]:
            p.add("h2", spec["subheads"][pi], 12)
        pno = len(doc.pages)
        while p.words < doc.budget - 45:
            phrase = doc.take_plant(pno, ("body",))
            sents = g.sentences(banks, doc.rng.randint(4, 7))
            if phrase:
                sents.insert(2, phrase)
            if doc.rng.random() < 0.5:
                if not note_pool:
                    note_pool.extend(doc.rng.sample(NOTE_BANK, len(NOTE_BANK)))
                notes.append(g.fill(note_pool.pop()))
                i = doc.rng.randrange(len(sents))
                sents[i] = sents[i] + f"[[{len(notes)}]]"
            text = " ".join(sents)
            while nwords(text) + p.words > doc.budget + 15 and len(sents) > 2:
                sents.pop()
                text = " ".join(sents)
            p.add("prose", text)
        if doc.rng.random() < 0.15:
            p.add("quote", g.quote())
    # notes pages
    per = 26
    for start in range(0, len(notes), per):
        p = doc.new_page()
        if start == 0:
            p.add("h2", "Notes", 12)
        for i in range(start, min(start + per, len(notes))):
            p.add("endnote", f"{i + 1}. {notes[i]}", 14)


def build_briefing(doc, spec):
    g = doc.gen
    banks = spec["banks"]
    p = doc.new_page()
    p.add("kicker", "Briefing")
    p.add("cover_title", doc.pub["title"])
    p.add("cover_meta", f"{doc.pub['author']} \u00b7 {fmt_date(doc.pub)}")
    p.add("h3", "Key points", 5)
    p.add("bullets", g.sentences(banks, 5))
    doc.fill(p, banks)
    for si, (title, sbanks) in enumerate(spec["sections"], start=1):
        pno = doc.next_pno
        p = doc.new_page()
        p.add("h1", f"{si}. {title}", 18)
        p.add("p", g.para(sbanks, 3, 5))
        if si % 2 == 0:
            p.add("bullets", g.sentences(sbanks, 4))
        doc.fill(p, sbanks)
    p = doc.new_page()
    p.add("h1", "What you can do", 18)
    p.add("numbers", g.items(spec["tips"], 7))
    p.add("h2", "Where to get help", 12)
    t = make_table(doc, "contacts", doc.next_pno - 1)
    p.blocks.append(t)
    p.words += 80
    doc.fill(p, banks, quotes=False)


def build_annual(doc, spec):
    g = doc.gen
    cover(doc, "Annual report", spec.get("cover_note"))
    toc_page = contents_page(doc)
    banks = ["org"]
    for i, title in enumerate(["Chair's introduction", "Director's report"]):
        p = doc.new_page(toc=title)
        p.add("h1", title)
        doc.fill(p, banks + spec["banks"][:1])
    content_page(doc, banks, "Our year in numbers", "h1", table="numbers", toc="Our year in numbers")
    for ci, (title, cbanks, npages, opts) in enumerate(spec["programmes"], start=1):
        for pi in range(npages):
            cols = 2 if pi in opts.get("twocol", ()) else 1
            table = opts.get("tables", {}).get(pi)
            if pi == 0:
                content_page(doc, cbanks + ["org"], f"{ci}. {title}", "h1", table=table, cols=cols, toc=f"{ci}. {title}")
            else:
                head = g.fill("Case study: {name} from {borough}") if cols == 2 else None
                content_page(doc, cbanks + ["org"], head, "h2", table=table, cols=cols)
    n = len(spec["programmes"]) + 1
    content_page(doc, banks, f"{n}. Financial summary", "h1", table="finance", toc=f"{n}. Financial summary", quotes=False)
    content_page(doc, banks, "Expenditure", "h2", table="finance2", quotes=False)
    p = doc.new_page(toc="Thank you")
    p.add("h1", "Thank you")
    p.add("p", "We thank our funders, including charitable trusts, statutory bodies and individual donors, "
               "and the many volunteers whose time and skill made this year's work possible.")
    doc.fill(p, banks, quotes=False)
    about_page(doc, banks)
    finish_toc(doc, toc_page)


BUILDERS = {"report": build_report, "newsletter": build_newsletter, "guide": build_guide,
            "educational-resource": build_edu, "book-chapter": build_chapter, "briefing": build_briefing,
            "annual": build_annual}

# ---------------------------------------------------------------------------
# Publications
# ---------------------------------------------------------------------------
ST_REPORT = {"body": "Liberation Serif", "size": 11, "head": "Liberation Sans", "budget": 470, "plant_table": "placements"}
ST_NEWS = {"body": "Liberation Sans", "size": 10, "head": "Liberation Sans", "budget": 500}
ST_NEWS_MODERN = {"body": "DejaVu Sans", "size": 9.5, "head": "DejaVu Sans", "budget": 460}
ST_GUIDE = {"body": "Liberation Sans", "size": 11, "head": "Liberation Sans", "budget": 390}
ST_EDU = {"body": "Liberation Sans", "size": 11, "head": "Liberation Sans", "budget": 370}
ST_CHAPTER = {"body": "Liberation Serif", "size": 12, "head": "Liberation Serif", "budget": 450, "justify": True}
ST_BRIEF = {"body": "Liberation Sans", "size": 10.5, "head": "Liberation Sans", "budget": 430}

PUBS = [
 dict(stem="2004-01-what-is-british", title="What is British?", date="2004-01-07", type="book-chapter",
      topics=["citizenship", "immigration policy", "education"], author=MRCF, style=ST_CHAPTER,
      summary="A chapter from a collection of essays on the future of cultural identity, arguing that "
              "Britishness is a changing, shared civic identity that must be open to newcomers. (Sample text.)",
      spec=dict(banks=["identity"], prose_pages=18,
                subheads={0: "Introduction", 4: "Papers and feelings", 8: "The borrowed and the national",
                          12: "Schools, streets and citizenship", 16: "Towards an open identity"},
                abstract="This chapter asks what it might mean to be British at the start of a new century, "
                         "drawing on the experience of refugee and migrant communities in London.")),
 dict(stem="2005-06-registering-with-a-gp", title="Registering with a GP: Access to Primary Care for Refugees and Migrants",
      date="2005-06-14", type="briefing", topics=["health", "immigration policy"], author=MRCF, style=ST_BRIEF,
      summary="A short briefing for member organisations on the right to register with a GP and the "
              "obstacles newly arrived refugees and migrants meet at the surgery door. (Sample text.)",
      spec=dict(banks=["health"], tips="health",
                sections=[("The right to register", ["health"]), ("What members told us", ["health"]),
                          ("Interpreting and information", ["health", "interpreting"]),
                          ("Charging and hospital care", ["health", "hostile"])])),
 dict(stem="2006-01-losing-out-twice", title="Losing out Twice? Skill Wastage of Overseas Health Professionals in the UK",
      date="2006-01-07", type="report", topics=["health", "employment"], author=MRCF, style=ST_REPORT,
      ligatures=True,
      summary="A study of the barriers that refugee and overseas-trained doctors, nurses and other health "
              "professionals face in returning to their professions, and the cost of this skill wastage. (Sample text.)",
      spec=dict(banks=["skills", "health"], recs=["skills", "health"],
                chapters=[
                    ("Introduction", ["skills"], 4, ["Why this study", "Aims of the research", "Structure of the report"]),
                    ("Background: overseas health professionals in the UK", ["skills", "health"], 7,
                     ["International recruitment", "Refugee health professionals", "The registration process",
                      "Costs and timescales", "Policy context"], {"tables": {3: "professions"}}),
                    ("How we carried out the research", ["skills"], 4, ["Interviews", "Focus groups", "Survey of employers"],
                     {"tables": {1: "participants"}}),
                    ("Barriers to registration", ["skills"], 10,
                     ["Language testing", "Clinical examinations", "Costs", "Information and advice",
                      "Time out of practice", "Immigration status"], {"tables": {4: "professions"}, "twocol": (7,)}),
                    ("Life in the meantime", ["skills", "health"], 8,
                     ["Work below skill level", "Financial hardship", "Family and childcare", "Wellbeing",
                      "Placement schemes"], {"tables": {6: "placements"}}),
                    ("Employers and the health service", ["skills", "health"], 6,
                     ["What employers told us", "Adaptation programmes", "Mentoring", "Missed opportunities"]),
                    ("Case studies", ["skills"], 6, ["Case studies"], {"twocol": (0, 1, 2, 3, 4, 5)}),
                    ("Conclusions", ["skills", "health"], 3, ["Skill wastage", "Losing out twice"]),
                ],
                appendices=[("Participants by borough", "participants"), ("Placement schemes reviewed", "placements"),
                            ("Glossary of terms", "statuses")][:2])),
 dict(stem="2007-10-annual-report-2006-2007", title="Annual Report 2006\u20132007", date="2007-10-22", type="report",
      topics=["community organising", "employment", "women"], author=MRCF, style=ST_REPORT, builder="annual",
      summary="The Forum's review of its work with member organisations during 2006\u201307: advice, capacity "
              "building, employment projects and the women's network, with a financial summary. (Sample text.)",
      spec=dict(banks=["org", "skills"], programmes=[
          ("Supporting member organisations", ["org"], 3, {"tables": {1: "participants"}}),
          ("Skills and employment", ["skills"], 3, {"twocol": (2,)}),
          ("Health access", ["health"], 3, {}),
          ("The women's network", ["org", "domestic"], 3, {"twocol": (2,)}),
          ("Policy and influencing", ["democracy", "hostile"], 3, {}),
      ])),
 dict(stem="2009-07-mrcf-newsletter-july-2009", title="MRCF Newsletter July 2009", date="2009-07-07", type="newsletter",
      topics=["community organising", "health", "young people"], author=MRCF, style=ST_NEWS,
      summary="The Forum's summer newsletter: news from member groups, health champions, the youth forum "
              "and dates for the diary. (Sample text.)",
      spec=dict(masthead="The Forum \u2013 MRCF Newsletter", issue="July 2009", pages=8,
                banks=["health", "org", "news", "democracy"])),
 dict(stem="2009-11-newsletter-november-2009", title="Newsletter November 2009", date="2009-11-07", type="newsletter",
      topics=["immigration policy", "community organising", "local democracy"], author=MRCF, style=ST_NEWS,
      summary="The Forum's newsletter for November 2009, with an editorial on the constant discourse of "
              "immigration in politics and the press and news from member organisations. (Sample text.)",
      spec=dict(masthead="The Forum \u2013 MRCF Newsletter", issue="November 2009", pages=8,
                banks=["democracy", "hostile", "news", "org"],
                editorial="The constant discourse of immigration in politics and in the press shapes how our members "
                          "are seen and how they see themselves. Week after week, new arrivals are described as a "
                          "problem to be solved rather than as neighbours, workers and citizens in the making.")),
 dict(stem="2009-12-strangers-or-citizens",
      title="Strange or Citizens: Refugee and migrant participation in local political processes in London",
      date="2009-12-07", type="report", topics=["local democracy", "citizenship", "community organising"],
      author=MRCF, style=dict(ST_REPORT, plant_table="events"),
      summary="Draws on discussions at six 'Question Time' style events, each attended by 30 to 60 community "
              "representatives, to ask how refugees and migrants can take part in local democracy in London. (Sample text.)",
      spec=dict(banks=["democracy"], recs=["democracy"],
                chapters=[
                    ("Introduction", ["democracy"], 4, ["Why participation matters", "About this report"]),
                    ("Refugees, migrants and local democracy", ["democracy", "identity"], 6,
                     ["Who can vote", "How local decisions are made", "Representation on councils"],
                     {"tables": {1: "voting"}}),
                    ("The Question Time events", ["democracy"], 7,
                     ["Format of the events", "Who took part", "The panels", "Interpreting and childcare"],
                     {"tables": {2: "events"}}),
                    ("What participants told us", ["democracy"], 10,
                     ["Housing", "Schools and young people", "Policing", "Health", "Being heard", "Voting"],
                     {"twocol": (3, 4)}),
                    ("Barriers to participation", ["democracy"], 6,
                     ["Information", "Time and money", "Trust", "Language"], {"tables": {3: "participants"}}),
                    ("Good practice from the boroughs", ["democracy", "organising"], 5, ["Examples"], {"twocol": (1, 2)}),
                ],
                appendices=[("The six events", "events")])),
 dict(stem="2010-03-good-practice-guide-accessing-health", title="Good Practice Guide In Accessing Health",
      date="2010-03-07", type="guide", topics=["health", "community organising"], author=MRCF, style=ST_GUIDE,
      summary="Shares the lessons of a 2009\u201310 project, coordinated by MRCF, in which six BME community "
              "organisations worked to put the recommendations of the Primary Concern report into practice. (Sample text.)",
      spec=dict(banks=["health"], table="checklist",
                intro="This guide comes out of a project in 2009 and 2010, coordinated by the Migrant and Refugee "
                      "Communities Forum, which brought together six BME community organisations to address the "
                      "recommendations of the Primary Concern report.",
                subheads=["What we did", "What worked", "Things to avoid", "Working with surgeries",
                          "Working with volunteers", "Keeping records", "Involving community members"],
                sections=[("Registering with a GP", ["health"], 4, "health"),
                          ("Working with practices", ["health"], 4, "practice"),
                          ("Interpreting and communication", ["health", "interpreting"], 4, "interpreting"),
                          ("Health champions", ["health"], 3, "practice"),
                          ("Charging and entitlements", ["health", "hostile"], 3, "health"),
                          ("Lessons from the six organisations", ["health", "organising"], 4, "practice")])),
 dict(stem="2010-03-moroccan-memories-in-britain", title="Moroccan Memories in Britain \u2013 Educational Resource",
      date="2010-03-07", type="educational-resource", topics=["education", "young people", "citizenship"],
      author=MRCF, style=ST_EDU,
      summary="A resource pack for Key Stage 3 Citizenship lessons built around memories of Moroccan migration "
              "to Britain, with lesson plans, worksheets and a glossary. (Sample text.)",
      spec=dict(intro="This resource pack supports Citizenship lessons at Key Stage 3. It uses memories of "
                      "Moroccan migration to Britain to help students explore identity, community and belonging.",
                lessons=[("Journeys", "Leaving home"), ("Arriving in London", "First impressions"),
                         ("Work and family", "Making a living"), ("Community life", "Places that matter"),
                         ("Identity and belonging", "Who am I?")])),
 dict(stem="2011-03-newsletter-spring-2011", title="MRCF Newsletter Spring 2011", date="2011-03-21", type="newsletter",
      topics=[], author=MRCF, style=ST_NEWS, sidecar=False, summary="",
      spec=dict(masthead="The Forum \u2013 MRCF Newsletter", issue="Spring 2011", pages=6,
                banks=["news", "org", "health"])),
 dict(stem="2012-09-working-with-interpreters", title="Working with Interpreters: A Guide for Community Organisations",
      date="2012-09-18", type="guide", topics=["health", "community organising"], author=MRCF, style=ST_GUIDE,
      summary="Practical guidance for community organisations on booking and working with interpreters, "
              "and on why children and relatives should not be asked to interpret. (Sample text.)",
      spec=dict(banks=["interpreting"], table="contacts",
                intro="Good interpreting is the foundation of fair access to services. This guide sets out simple "
                      "steps that community organisations and the services they work with can take.",
                subheads=["Before the meeting", "During the meeting", "After the meeting", "Telephone and video",
                          "Common problems"],
                sections=[("Why interpreting matters", ["interpreting", "health"], 3, "interpreting"),
                          ("Booking an interpreter", ["interpreting"], 3, "interpreting"),
                          ("Running the meeting", ["interpreting"], 3, "interpreting"),
                          ("Volunteer interpreters", ["interpreting", "org"], 3, "practice")])),
 dict(stem="2013-10-living-on-nothing", title="Living on Nothing: Destitution among Refugees and Migrants in London",
      date="2013-10-03", type="report", topics=["destitution", "immigration policy", "women"], author=MRCF,
      style=dict(ST_REPORT, plant_table="services"),
      summary="Interviews with refused asylum seekers and migrants with no recourse to public funds show how "
              "destitution is created by policy and how people survive it. (Sample text.)",
      spec=dict(banks=["destitution"], recs=["destitution"],
                chapters=[
                    ("Introduction", ["destitution"], 4, ["About this research", "Definitions"]),
                    ("No recourse to public funds: the legal framework", ["destitution", "hostile"], 6,
                     ["Refused asylum seekers", "No recourse conditions", "Duties of local authorities"],
                     {"tables": {2: "statuses"}}),
                    ("Who we spoke to", ["destitution"], 4, ["Interviews", "Participants"], {"tables": {1: "participants"}}),
                    ("Surviving without support", ["destitution"], 10,
                     ["Somewhere to sleep", "Food", "Work", "Friends and community", "Services"],
                     {"tables": {3: "services"}, "twocol": (6, 7)}),
                    ("Health and wellbeing", ["destitution", "health"], 6, ["Physical health", "Mental health", "Access to care"]),
                    ("Women and families", ["destitution", "domestic"], 7,
                     ["Pregnancy", "Children", "Exploitation", "Local authority support"], {"twocol": (4,)}),
                    ("Routes out of destitution", ["destitution"], 6, ["Legal advice", "Hosting", "Fresh claims"]),
                ],
                appendices=[("Services visited", "services")])),
 dict(stem="2015-06-build-common-ground", title="Build Common Ground: Community Organising in the 2015 General Election",
      date="2015-06-18", type="report", topics=["community organising", "local democracy"], author=MRCF,
      style=dict(ST_REPORT, plant_table="conversations"),
      summary="How migrant and long-standing communities organised together before the 2015 general election: "
              "listening campaigns, assemblies with candidates and voter registration. (Sample text.)",
      spec=dict(banks=["organising", "voter"], recs=["organising"],
                chapters=[
                    ("Introduction", ["organising"], 3, ["Why Build Common Ground"]),
                    ("What is community organising?", ["organising"], 4, ["Listening", "Power", "Leaders"]),
                    ("The listening campaign", ["organising"], 6, ["Conversations", "Issues", "House meetings"],
                     {"tables": {2: "conversations"}}),
                    ("The assemblies", ["organising", "democracy"], 7, ["Preparing", "On the night", "Commitments"],
                     {"twocol": (3, 4)}),
                    ("Registering new voters", ["voter", "organising"], 5, ["Stalls and street work", "Results"],
                     {"tables": {2: "participants"}}),
                    ("What we learnt", ["organising"], 4, ["Relationships", "Leadership", "Alliances"]),
                ])),
 dict(stem="2017-07-newsletter-summer-2017", title="Migrants Organise Newsletter Summer 2017", date="2017-07-12",
      type="newsletter", topics=["community organising", "young people", "women"], author=MO, style=ST_NEWS_MODERN,
      summary="Summer news from Migrants Organise: leaders' training, the women's circle, young people's "
              "campaigns and upcoming actions. (Sample text.)",
      spec=dict(masthead="Migrants Organise \u2013 Newsletter", issue="Summer 2017", pages=6,
                banks=["organising", "news", "hostile"])),
 dict(stem="2018-05-hostile-environment-briefing", title="The Hostile Environment: A Briefing for Community Members",
      date="2018-05-09", type="briefing", topics=["immigration policy", "health", "destitution"], author=MO, style=ST_BRIEF,
      summary="Explains the hostile environment policies \u2013 Right to Rent, NHS charging, data sharing \u2013 "
              "and what members can do if they are asked for documents. (Sample text.)",
      spec=dict(banks=["hostile"], tips="hostile",
                sections=[("What is the hostile environment?", ["hostile"]), ("Housing and Right to Rent", ["hostile"]),
                          ("Health care and charging", ["hostile", "health"]), ("Work and banking", ["hostile", "destitution"]),
                          ("After Windrush", ["hostile"])])),
 dict(stem="2019-11-know-your-rights-domestic-workers", title="Know Your Rights: A Guide for Migrant Domestic Workers",
      date="2019-11-25", type="guide", topics=["employment", "women"], author=MO, style=ST_GUIDE,
      summary="A plain-English guide for migrant domestic workers on pay, passports, time off and where to "
              "get help if an employer is abusive. (Sample text.)",
      spec=dict(banks=["domestic"], table="contacts",
                intro="This guide is for domestic workers who care for children, cook and clean in private homes. "
                      "It explains your rights and where you can find support.",
                subheads=["Your rights", "What to do", "Getting help", "Keeping evidence", "Staying safe"],
                sections=[("Your rights at work", ["domestic"], 3, "domestic"),
                          ("Your passport and your visa", ["domestic", "hostile"], 3, "domestic"),
                          ("If things go wrong", ["domestic"], 3, "domestic"),
                          ("Organising together", ["domestic", "organising"], 2, "organising")])),
 dict(stem="2021-09-after-the-deadline", title="After the Deadline: The EU Settlement Scheme and Late Applications",
      date="2021-09-15", type="report", topics=["immigration policy", "citizenship"], author=MO,
      style=dict(ST_REPORT, plant_table="applications"),
      summary="Looks at who missed the 30 June 2021 deadline for the EU Settlement Scheme, why, and what "
              "happens to late applicants. (Sample text.)",
      spec=dict(banks=["euss"], recs=["euss"],
                chapters=[
                    ("Introduction", ["euss"], 3, ["About this report"]),
                    ("The EU Settlement Scheme explained", ["euss"], 5, ["Settled and pre-settled status", "Digital status"],
                     {"tables": {1: "statuses"}}),
                    ("Who is at risk of missing out", ["euss"], 5, ["Older people", "Children", "Roma communities"]),
                    ("Our application support", ["euss", "org"], 5, ["Sessions", "Results"], {"tables": {2: "applications"}}),
                    ("Late applications", ["euss"], 5, ["Reasonable grounds", "Case studies"], {"twocol": (2, 3)}),
                ])),
 dict(stem="2023-10-annual-report-2022-2023", title="Annual Report 2022\u20132023", date="2023-10-30", type="report",
      topics=["community organising", "destitution", "young people"], author=MO,
      style=dict(ST_REPORT, plant_table="projects"), builder="annual",
      summary="Migrants Organise's review of 2022\u201323: organising, advice and casework, the hardship fund, "
              "young people's leadership and a financial summary. (Sample text.)",
      spec=dict(banks=["organising", "org"], programmes=[
          ("Organising for power", ["organising"], 3, {"tables": {1: "projects"}}),
          ("Advice and casework", ["hostile", "euss"], 3, {"twocol": (2,)}),
          ("The hardship fund", ["destitution"], 3, {}),
          ("Young leaders", ["organising", "voter"], 3, {"twocol": (2,)}),
          ("Campaigns", ["hostile", "organising"], 3, {}),
      ])),
 dict(stem="2024-05-your-vote-counts", title="Your Vote Counts: Voter Registration and the 2024 General Election",
      date="2024-05-28", type="briefing", topics=["local democracy", "citizenship"], author=MO, style=ST_BRIEF,
      summary="Who can vote, how to register, what photo identification is needed and how community groups "
              "can run registration drives before the 2024 general election. (Sample text.)",
      spec=dict(banks=["voter"], tips="voter",
                sections=[("Who can vote", ["voter"]), ("How to register", ["voter"]),
                          ("Photo identification", ["voter"]), ("Running a registration drive", ["voter", "organising"])])),
 dict(stem="2026-01-newsletter-winter-2026", title="Migrants Organise Newsletter Winter 2026", date="2026-01-20",
      type="newsletter", topics=["community organising", "women", "health"], author=MO, style=ST_NEWS_MODERN,
      summary="Winter news: the hardship fund appeal, the women's circle, health access work and "
              "dates for the new year. (Sample text.)",
      spec=dict(masthead="Migrants Organise \u2013 Newsletter", issue="Winter 2026", pages=8,
                banks=["organising", "news", "health", "destitution"])),
]


def plan(pub):
    doc = Doc(pub)
    builder = BUILDERS[pub.get("builder", pub["type"])]
    builder(doc, pub["spec"])
    missing = set(doc.plants) - doc.used_plants
    if missing:
        raise SystemExit(f"{pub['stem']}: planted phrases not placed on pages {sorted(missing)}: "
                         + "; ".join(f"p{pg}={doc.plants[pg][0]} (page has cols={doc.pages[pg-1].cols if pg <= len(doc.pages) else '?'})" for pg in sorted(missing)))
    return doc


# ---------------------------------------------------------------------------
# DOCX rendering
# ---------------------------------------------------------------------------
def render(doc, path):
    import docx
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, Cm, RGBColor

    pub, st = doc.pub, doc.pub["style"]
    d = docx.Document()

    def set_font(style, name, size=None, bold=None, color=None):
        style.font.name = name
        rpr = style.element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = OxmlElement("w:rFonts")
            rpr.insert(0, rfonts)
        for a in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            if rfonts.get(qn(a)) is not None:
                del rfonts.attrib[qn(a)]
        for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            rfonts.set(qn(a), name)
        if size:
            style.font.size = Pt(size)
        if bold is not None:
            style.font.bold = bold
        if color:
            style.font.color.rgb = RGBColor.from_string(color)

    normal = d.styles["Normal"]
    set_font(normal, st["body"], st["size"])
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    for name, size in (("Heading 1", st["size"] + 6), ("Heading 2", st["size"] + 3), ("Heading 3", st["size"] + 1),
                       ("Title", 26)):
        s = d.styles[name]
        set_font(s, st["head"], size, True, "1F3A5F")
        s.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
        s.paragraph_format.space_after = Pt(6)
    for name in ("List Bullet", "List Number", "Quote"):
        try:
            set_font(d.styles[name], st["body"], st["size"])
        except KeyError:
            pass

    sec = d.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.3)
    sec.top_margin = Cm(2.2)
    sec.bottom_margin = Cm(2.2)
    sec.footer_distance = Cm(1.0)

    def set_cols(section, n):
        sp = section._sectPr
        cols = sp.find(qn("w:cols"))
        if cols is None:
            cols = OxmlElement("w:cols")
            sp.append(cols)
        cols.set(qn("w:num"), str(n))
        cols.set(qn("w:space"), "567")

    # footer: short label and page number
    fp = sec.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = fp.add_run(pub.get("footer", pub["author"].split(" (")[0]) + " \u2013 page ")
    r.font.size = Pt(8)
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    fr = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), "16")
    rpr.append(sz)
    fr.append(rpr)
    ft = OxmlElement("w:t")
    ft.text = "1"
    fr.append(ft)
    fld.append(fr)
    fp._p.append(fld)

    # numbering restart support
    numbering = d.part.numbering_part.element
    base_numid = d.styles["List Number"].element.pPr.numPr.numId.val
    abstract_id = numbering.num_having_numId(base_numid).abstractNumId.val

    def new_list_num():
        num = numbering.add_num(abstract_id)
        lo = num.add_lvlOverride(ilvl=0)
        lo.add_startOverride(1)
        return num.numId

    lig = pub.get("ligatures")

    def ligate(text):
        if not lig:
            return text
        return text.replace("fi", "\ufb01").replace("fl", "\ufb02")

    def add_text(par, text, size=None, italic=False):
        parts = re.split(r"\[\[(\d+)\]\]", text)
        for i, part in enumerate(parts):
            if not part:
                continue
            run = par.add_run(part if i % 2 else ligate(part))
            if i % 2:
                run.font.superscript = True
            if size:
                run.font.size = Pt(size)
            if italic:
                run.italic = True
        return par

    def render_block(kind, payload):
        if kind == "spacer":
            first = None
            for _ in range(payload):
                pp = d.add_paragraph()
                first = first or pp
            return first
        if kind == "kicker":
            pp = d.add_paragraph()
            rr = pp.add_run(payload.upper())
            rr.bold = True
            rr.font.size = Pt(11)
            rr.font.color.rgb = RGBColor.from_string("8A2B2B")
            return pp
        if kind == "cover_title":
            return d.add_paragraph(payload, style="Title")
        if kind == "cover_sub":
            pp = d.add_paragraph()
            rr = pp.add_run(payload)
            rr.font.size = Pt(15)
            return pp
        if kind == "cover_meta":
            pp = d.add_paragraph()
            rr = pp.add_run(payload)
            rr.font.size = Pt(12)
            rr.bold = True
            return pp
        if kind in ("h1", "h2", "h3"):
            return d.add_heading(payload, int(kind[1]))
        if kind == "p":
            return add_text(d.add_paragraph(), payload)
        if kind == "bold":
            pp = d.add_paragraph()
            pp.add_run(payload).bold = True
            return pp
        if kind == "prose":
            pp = add_text(d.add_paragraph(), payload)
            pp.paragraph_format.first_line_indent = Cm(0.8)
            pp.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            pp.paragraph_format.line_spacing = 1.2
            return pp
        if kind == "endnote":
            pp = add_text(d.add_paragraph(), payload, size=st["size"] - 2)
            pp.paragraph_format.space_after = Pt(3)
            return pp
        if kind == "quote":
            pp = add_text(d.add_paragraph(), payload, italic=True)
            pp.paragraph_format.left_indent = Cm(1.0)
            pp.paragraph_format.right_indent = Cm(0.5)
            return pp
        if kind == "note":
            return add_text(d.add_paragraph(), payload, size=8, italic=True)
        if kind == "bullets":
            first = None
            for it in payload:
                pp = add_text(d.add_paragraph(style="List Bullet"), it)
                first = first or pp
            return first
        if kind == "numbers":
            nid = new_list_num()
            first = None
            for it in payload:
                pp = add_text(d.add_paragraph(style="List Number"), it)
                numpr = pp._p.get_or_add_pPr().get_or_add_numPr()
                numpr.get_or_add_ilvl().val = 0
                numpr.get_or_add_numId().val = nid
                first = first or pp
            return first
        if kind == "lines":
            first = None
            for _ in range(payload):
                pp = d.add_paragraph("_" * 62)
                first = first or pp
            return first
        if kind == "table":
            t = d.add_table(rows=1 + len(payload["rows"]), cols=len(payload["header"]))
            t.style = "Table Grid"
            t.autofit = False
            for ci, wcm in enumerate(payload["widths"]):
                t.columns[ci].width = Cm(wcm)
            size = payload.get("size", 9.5)
            for ri, row in enumerate([payload["header"]] + payload["rows"]):
                for ci, val in enumerate(row):
                    cell = t.cell(ri, ci)
                    cell.width = Cm(payload["widths"][ci])
                    cp = cell.paragraphs[0]
                    cp.paragraph_format.space_after = Pt(0)
                    rr = cp.add_run(val)
                    rr.font.size = Pt(size)
                    if ri == 0:
                        rr.bold = True
            d.add_paragraph().paragraph_format.space_after = Pt(0)
            return None
        raise KeyError(kind)

    prev_cols = None
    for i, page in enumerate(doc.pages):
        need_break = False
        if i == 0:
            set_cols(d.sections[0], page.cols)
        elif page.cols != prev_cols:
            s = d.add_section(WD_SECTION.NEW_PAGE)
            set_cols(s, page.cols)
        else:
            need_break = True
        prev_cols = page.cols
        for j, (kind, payload) in enumerate(page.blocks):
            first = render_block(kind, payload)
            if j == 0:
                if first is None:
                    raise RuntimeError(f"{pub['stem']} page {i + 1}: page must not start with a table")
                if need_break:
                    first.paragraph_format.page_break_before = True

    cp = d.core_properties
    cp.title = pub["title"]
    cp.author = pub["author"]
    cp.last_modified_by = pub["author"]
    cp.language = "en-GB"
    when = dt.datetime.fromisoformat(pub["date"] + "T10:00:00")
    cp.created = when
    cp.modified = when
    cp.revision = 1
    cp.comments = ""
    cp.keywords = ""
    cp.subject = ""
    d.save(path)


# ---------------------------------------------------------------------------
# Conversion and verification
# ---------------------------------------------------------------------------
def wait_for_tools(timeout=3600):
    import time
    t0 = time.time()
    while True:
        missing = [t for t in ("soffice", "pdftotext", "pdfinfo") if shutil.which(t) is None]
        if not missing:
            return
        if time.time() - t0 > timeout:
            raise SystemExit(f"missing tools: {missing} (apt-get install libreoffice-writer-nogui poppler-utils)")
        print(f"waiting for {missing} to be installed ...", flush=True)
        time.sleep(20)


def convert(docx_dir, pdf_dir):
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    files = sorted(str(p) for p in Path(docx_dir).glob("*.docx"))
    cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
           "--convert-to", "pdf", "--outdir", str(pdf_dir)] + files
    try:
        subprocess.run(["nice", "-n", "10"] + cmd, check=True, stdout=subprocess.DEVNULL, timeout=1800)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def pdfinfo(path):
    out = subprocess.run(["pdfinfo", "-enc", "UTF-8", str(path)], check=True, capture_output=True, text=True).stdout
    info = {}
    for line in out.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            info[k.strip()] = v.strip()
    return info


def pdftotext(path, first=None, last=None):
    cmd = ["pdftotext", "-enc", "UTF-8"]
    if first:
        cmd += ["-f", str(first), "-l", str(last or first)]
    cmd += [str(path), "-"]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def norm(s):
    return " ".join(s.split())


def verify(docs, pdf_dir):
    errors = []
    report = {"pubs": [], "phrases": [], "accents": {}, "ligatures": {}}
    fulltext = {}
    for doc in docs:
        stem = doc.pub["stem"]
        pdf = pdf_dir / f"{stem}.pdf"
        info = pdfinfo(pdf)
        pages = int(info["Pages"])
        if pages != len(doc.pages):
            errors.append(f"{stem}: planned {len(doc.pages)} pages, PDF has {pages}")
        if info.get("Title") != doc.pub["title"]:
            errors.append(f"{stem}: PDF Title {info.get('Title')!r} != {doc.pub['title']!r}")
        if info.get("Author") != doc.pub["author"]:
            errors.append(f"{stem}: PDF Author {info.get('Author')!r} != {doc.pub['author']!r}")
        text = pdftotext(pdf)
        fulltext[stem] = text
        report["pubs"].append((stem, pages, pdf.stat().st_size))
    # planted phrases
    for stem, page, ctx, phrase, word in PLANTS:
        pdf = pdf_dir / f"{stem}.pdf"
        page_text = norm(pdftotext(pdf, page, page))
        count = page_text.count(norm(phrase))
        wre = re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)", re.IGNORECASE)
        total = sum(len(wre.findall(t)) for t in fulltext.values())
        ok = count == 1 and total == 1
        report["phrases"].append((stem, page, ctx, phrase, count, total, ok))
        if not ok:
            errors.append(f"{stem} p{page}: phrase {phrase!r} found {count}x on page, word {word!r} {total}x in corpus")
        for p in PUBS:
            if word.lower() in (p["summary"] + p["title"]).lower():
                errors.append(f"distinctive word {word} appears in metadata of {p['stem']}")
    # accent / ligature facts (computed, for tests)
    for w in ACCENTED_WORDS:
        wre = re.compile(r"(?<!\w)" + re.escape(w) + r"(?!\w)")
        report["accents"][w] = sorted(s for s, t in fulltext.items() if wre.search(t))
    for w in LIGATURE_WORDS:
        lw = w.replace("fi", "\ufb01").replace("fl", "\ufb02")
        if lw == w:
            continue
        wre = re.compile(r"(?<!\w)" + re.escape(lw) + r"(?!\w)")
        found = sorted(s for s, t in fulltext.items() if wre.search(t))
        if found:
            report["ligatures"][lw] = found
    return errors, report, fulltext


# ---------------------------------------------------------------------------
# Output files
# ---------------------------------------------------------------------------
def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_sidecar(pub, path):
    lines = [
        f"id = {toml_str(pub['stem'])}",
        f"title = {toml_str(pub['title'])}",
        f"date = {toml_str(pub['date'])}",
        f"type = {toml_str(pub['type'])}",
        "topics = [" + ", ".join(toml_str(t) for t in pub["topics"]) + "]",
        f"summary = {toml_str(pub['summary'])}",
        "authors = [" + toml_str(pub["author"]) + "]",
        'language = "en"',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


README_HEAD = """# Sample publication library

**All body text and summaries in this folder are SAMPLE TEXT written by this project.**
The PDFs stand in for the real publication library of a migrant-rights charity (the
Migrant and Refugee Communities Forum, MRCF, later Migrants Organise) so that pubsearch
can be built and tested without redistributing the real documents. Only the titles,
dates and kinds of the seven seed publications marked "seed" below are real facts taken
from the organisation's publication page; their contents here are not the real
contents. Every other publication, and every quotation, name, figure, table and case
study in every file, is invented and was generated procedurally by
`generate/make_corpus.py`. Any resemblance to real people is coincidental.

## Publications

| File | Title | Date | Type | Pages | Seed |
|------|-------|------|------|------:|------|
"""

README_TAIL = """
Total: {n} PDFs, {pages} pages, {mb:.2f} MB of PDF.

`{nosidecar}.pdf` deliberately has **no sidecar**: its metadata must come from the PDF
Info dictionary alone (Title and Author, set through the DOCX core properties and
carried into the PDF by LibreOffice). Its id is the file stem; it has no type or topics
metadata and no date of its own (its Info CreationDate is the day it was exported, not
when it was published); pubsearch dates it March 2011 from its file name and title
(`2011-03`, "Spring 2011"), see the project README.

## Sidecar format

Each `<stem>.pdf` may have a `<stem>.toml` next to it (TOML, UTF-8):

```toml
id = "2009-12-strangers-or-citizens"      # optional; defaults to the stem, slugged; [A-Za-z0-9._-]
title = "Strange or Citizens: Refugee and migrant participation in local political processes in London"
date = "2009-12-07"                        # YYYY-MM-DD
type = "report"                            # report | newsletter | guide | educational-resource | book-chapter | briefing
topics = ["local democracy", "citizenship", "community organising"]   # 2-4 lowercase strings
summary = "One or two sentences (sample text)."
authors = ["Migrant and Refugee Communities Forum"]   # optional
language = "en"                            # optional
```

Every sidecar in this folder sets `id` explicitly (equal to the stem). An id is letters,
digits, `-`, `_` and `.` (`[A-Za-z0-9._-]`), at most 128 characters, not starting with `.`
(the project README's "The corpus" section has the whole rule). Topics come from
a shared vocabulary of ten: {topics}.

## What the files contain

* Reports: numbered Heading 1/Heading 2 structure (exported as PDF bookmarks), a
  contents table, tables, and some two-column pages (case studies).
* Newsletters: a single-column front page followed by two-column pages.
* Guides: numbered steps and bulleted lists; the educational resource has lesson
  plans, worksheets with questions and a glossary; the book chapter is continuous
  prose with superscript note markers and a Notes section.
* Accented words (café, naïve, São Paulo, Zürich, Bogotá, Kraków, Fès, crèche, ...)
  and ligature-prone words (office, financial, affluent, fluent). The 2006 report
  `2006-01-losing-out-twice.pdf` is typeset with the ligature characters U+FB01 (ﬁ)
  and U+FB02 (ﬂ) in its body text, as older DTP-produced PDFs often are, so that
  ligature folding can be tested.

`../tests/data/known_phrases.json` lists planted sentences (each with a word that occurs
nowhere else in the corpus) with the page they are on, plus the expected metadata of
every publication, so end-to-end tests can check search results and facet counts
independently of the index. The generator verifies every entry with `pdftotext`.

## Regenerating

```sh
pip install python-docx
apt-get install libreoffice-writer-nogui poppler-utils fonts-liberation fonts-dejavu-core
python3 corpus/generate/make_corpus.py
```

The script is deterministic (seeded `random`, no network): running it again reproduces
the same text. PDF bytes differ between runs only by timestamps and IDs.
"""


def write_readme(docs, report, path):
    seeds = {"2004-01-what-is-british", "2006-01-losing-out-twice", "2009-07-mrcf-newsletter-july-2009",
             "2009-11-newsletter-november-2009", "2009-12-strangers-or-citizens",
             "2010-03-good-practice-guide-accessing-health", "2010-03-moroccan-memories-in-britain"}
    sizes = {s: (pg, b) for s, pg, b in report["pubs"]}
    rows = []
    nosidecar = ""
    for doc in docs:
        pub = doc.pub
        stem = pub["stem"]
        if pub.get("sidecar", True) is False:
            nosidecar = stem
        title = pub["title"].replace("|", "\\|")
        if pub.get("sidecar", True) is False:
            rows.append(f"| `{stem}.pdf` | {title} (from PDF Info only) | \u2014 | \u2014 | {sizes[stem][0]} | "
                        f"no sidecar |")
            continue
        rows.append(f"| `{stem}.pdf` | {title} | {pub['date']} | {pub['type']} | {sizes[stem][0]} | "
                    f"{'seed' if stem in seeds else ''} |")
    total_pages = sum(pg for pg, _ in sizes.values())
    total_bytes = sum(b for _, b in sizes.values())
    text = README_HEAD + "\n".join(rows) + "\n" + README_TAIL.format(
        n=len(docs), pages=total_pages, mb=total_bytes / 1e6, nosidecar=nosidecar,
        topics=", ".join(TOPICS))
    path.write_text(text, encoding="utf-8")


def write_json(docs, report, path):
    sizes = {s: pg for s, pg, _ in report["pubs"]}
    pubs = []
    for doc in docs:
        pub = doc.pub
        if pub.get("sidecar", True):
            pubs.append({"id": pub["stem"], "file": pub["stem"] + ".pdf", "title": pub["title"],
                         "date": pub["date"], "type": pub["type"], "topics": pub["topics"],
                         "authors": [pub["author"]], "pages": sizes[pub["stem"]], "sidecar": True})
        else:
            pubs.append({"id": pub["stem"], "file": pub["stem"] + ".pdf", "title": pub["title"],
                         "date": None, "type": None, "topics": [], "authors": [pub["author"]],
                         "pages": sizes[pub["stem"]], "sidecar": False,
                         "note": "No sidecar: title and author come only from the PDF Info dictionary."})
    phrases = [{"id": stem, "phrase": phrase, "page": page, "word": word, "context": ctx}
               for stem, page, ctx, phrase, word in PLANTS]
    data = {
        "_comment": "Generated by corpus/generate/make_corpus.py; all text is sample text. Each phrase occurs "
                    "exactly once in the corpus, on the given 1-based page (verified with pdftotext -f N -l N); "
                    "'word' occurs nowhere else in the corpus.",
        "phrases": phrases,
        "publications": pubs,
        "totals": {"publications": len(pubs), "pages": sum(p["pages"] for p in pubs)},
        "accented_words": report["accents"],
        "ligature_words": report["ligatures"],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def check_specs():
    stems = [p["stem"] for p in PUBS]
    assert len(stems) == len(set(stems))
    for p in PUBS:
        assert re.fullmatch(r"[a-z0-9-]+", p["stem"]), p["stem"]
        assert p["type"] in TYPES, p
        assert all(t in TOPICS for t in p["topics"]), p
        if p.get("sidecar", True):
            assert 2 <= len(p["topics"]) <= 4, p["stem"]
    assert len({p["type"] for p in PUBS}) == len(TYPES)
    words = [w.lower() for *_, w in PLANTS]
    assert len(words) == len(set(words))
    for *_, phrase, w in PLANTS:
        n = len(phrase.split())
        assert 4 <= n <= 10 and w in phrase, phrase
    # distinctive words must not occur in any bank
    alltext = json.dumps([BANKS, QUOTES, RECS, TIPS, NOTE_BANK, HEADLINES, SLOTS, TABLE_OUTCOMES,
                          GEN_SUBJ, TAILS, FRAMES, OWN_SUBJ, DIARY],
                         ensure_ascii=False).lower()
    for w in words:
        assert w not in alltext, w


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--plan", action="store_true", help="print the page plan and exit")
    ap.add_argument("--keep", metavar="DIR", help="keep the intermediate DOCX/PDF files in DIR")
    args = ap.parse_args()
    check_specs()
    docs = [plan(p) for p in PUBS]
    if args.plan:
        for doc in docs:
            print(f"== {doc.pub['stem']} ({len(doc.pages)} pages)")
            for i, pg in enumerate(doc.pages, 1):
                heads = [b[1] for b in pg.blocks if b[0] in ("h1", "h2", "cover_title")]
                kinds = sorted({b[0] for b in pg.blocks})
                mark = f" <-- {doc.plants[i][0]}" if i in doc.plants else ""
                print(f"  {i:3d} cols={pg.cols} words={pg.words:3d} {kinds} {heads[:2]}{mark}")
        print("total planned pages:", sum(len(d.pages) for d in docs))
        return
    wait_for_tools()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="pubsearch-corpus-"))
    docx_dir, pdf_dir = work / "docx", work / "pdf"
    for p in (docx_dir, pdf_dir):
        shutil.rmtree(p, ignore_errors=True)
        p.mkdir(parents=True)
    for doc in docs:
        render(doc, docx_dir / f"{doc.pub['stem']}.docx")
    print(f"rendered {len(docs)} DOCX; converting with LibreOffice ...", flush=True)
    convert(docx_dir, pdf_dir)
    errors, report, _ = verify(docs, pdf_dir)

    print(f"\n{'stem':50s} {'pages':>5s} {'bytes':>9s}")
    for stem, pages, size in report["pubs"]:
        print(f"{stem:50s} {pages:5d} {size:9d}")
    total_pages = sum(p for _, p, _ in report["pubs"])
    total_bytes = sum(b for _, _, b in report["pubs"])
    print(f"{'TOTAL (' + str(len(report['pubs'])) + ' PDFs)':50s} {total_pages:5d} {total_bytes:9d}")
    print("\nplanted phrases (pdftotext -f N -l N):")
    for stem, page, ctx, phrase, count, total, ok in report["phrases"]:
        print(f"  {'OK ' if ok else 'BAD'} {stem} p{page} [{ctx}] on-page={count} corpus-word={total}: {phrase}")
    print("\naccented words:", json.dumps(report["accents"], ensure_ascii=False))
    print("ligature words:", json.dumps(report["ligatures"], ensure_ascii=False))
    if len(report["pubs"]) < 16:
        errors.append("fewer than 16 PDFs")
    if total_pages < 300:
        errors.append(f"only {total_pages} pages")
    if total_bytes >= 12_000_000:
        errors.append(f"corpus too large: {total_bytes} bytes")
    if len(report["phrases"]) < 12 or len({s for s, *_ in report["phrases"]}) < 6:
        errors.append("not enough planted phrases")
    if errors:
        print("\nERRORS:\n  " + "\n  ".join(errors), file=sys.stderr)
        raise SystemExit(1)

    # write outputs
    for old in list(CORPUS.glob("*.pdf")) + list(CORPUS.glob("*.toml")):
        old.unlink()
    for doc in docs:
        stem = doc.pub["stem"]
        shutil.copyfile(pdf_dir / f"{stem}.pdf", CORPUS / f"{stem}.pdf")
        if doc.pub.get("sidecar", True):
            write_sidecar(doc.pub, CORPUS / f"{stem}.toml")
    write_readme(docs, report, CORPUS / "README.md")
    write_json(docs, report, PHRASES_JSON)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nwrote {len(docs)} PDFs, {sum(1 for d in docs if d.pub.get('sidecar', True))} sidecars, "
          f"README.md and {PHRASES_JSON.relative_to(REPO)}")


if __name__ == "__main__":
    main()
