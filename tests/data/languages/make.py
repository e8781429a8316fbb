#!/usr/bin/env python3
"""Writes the multilingual test library: one short guide per language, each an HTML page
turned into a PDF by LibreOffice (a real producer, with real fonts: the Noto families),
and its metadata sidecar.

Run from this folder:  python3 make.py   (needs libreoffice-writer and fonts-noto-core,
fonts-noto-cjk). The PDFs are committed, so the tests do not need LibreOffice.
All text is sample text written for these tests.
"""
import html
import pathlib
import shutil
import subprocess
import tempfile

HERE = pathlib.Path(__file__).resolve().parent

# id: (language metadata or None to leave it to detection, title, summary, [pages])
GUIDES = {
    "2014-03-guia-de-salud": (
        "es",
        "Guía de salud para personas migrantes",
        "Cómo registrarse en el centro de salud y pedir un intérprete.",
        [
            "Todas las personas migrantes tienen derecho a la atención sanitaria. "
            "La enfermera del centro de salud explicó los pasos para registrarse con un médico.",
            "Apoyamos a las familias refugiadas con intérpretes gratuitos. "
            "La migración no debe impedir el acceso al hospital ni a la farmacia.",
        ],
    ),
    "2015-09-guia-do-trabalhador": (
        "pt",
        "Guia para trabalhadores migrantes",
        "Os direitos laborais das trabalhadoras domésticas.",
        [
            "Os trabalhadores domésticos têm direitos laborais iguais aos de qualquer outro "
            "trabalhador. Ninguém pode reter o seu passaporte.",
            "A associação apoia trabalhadoras migrantes que procuram um advogado "
            "e oferece aulas de inglês às sextas-feiras.",
        ],
    ),
    "2016-05-poradnik-dla-migrantow": (
        "pl",
        "Poradnik dla migrantów",
        "Bezpłatne porady prawne dla migrantów i uchodźców.",
        [
            "Pomagamy migrantom i uchodźcom w znalezieniu pracy i mieszkania. "
            "Doradca zawodowy przyjmuje w każdy wtorek.",
            "Porady prawne dla uchodźców są bezpłatne. "
            "Rodziny migrantów mogą też zapisać dzieci do szkoły.",
        ],
    ),
    "2022-06-posibnyk-dlia-mihrantiv": (
        "uk",
        "Посібник для мігрантів",
        "Безкоштовні консультації для біженців з України.",
        [
            "Ми допомагаємо мігрантам знайти житло та роботу. "
            "Соціальний працівник відповідає на запитання щосереди.",
            "Безкоштовні консультації для біженців проводять юристи. "
            "Діти мігрантів можуть відвідувати місцеву школу.",
        ],
    ),
    "2018-02-dalil-al-muhajirin": (
        "ar",
        "دليل المهاجرين إلى الخدمات الصحية",
        "كيف يحصل المهاجرون على الرعاية الصحية.",
        [
            "نساعد المهاجرين في الحصول على الرعاية الصحية في المستشفى. "
            "يشرح الطبيب حالات الطوارئ بلغة بسيطة.",
            "للاجئين حق في العلاج المجاني. "
            "تقدم الجمعية مترجمين للمهاجرين والعائلات.",
        ],
    ),
    "2019-04-yimin-jiankang-zhinan": (
        "zh",
        "移民健康指南",
        "为移民家庭提供的健康和法律信息。",
        [
            "我们为移民家庭提供免费的健康咨询。医生每周二在社区中心看诊。",
            "难民可以在社区中心获得法律帮助。志愿者还提供英语课程。",
        ],
    ),
    "2020-11-mwongozo-wa-afya": (
        "sw",
        "Mwongozo wa afya kwa wahamiaji",
        "Jinsi ya kupata huduma za afya na mkalimani.",
        [
            "Wahamiaji wote wana haki ya kupata huduma za afya. "
            "Daktari anaweza kuomba mkalimani bila malipo.",
            "Familia za wakimbizi zinaweza kupata ushauri wa kisheria "
            "katika kituo cha jamii kila Jumanne.",
        ],
    ),
    # No language in its metadata: detected from the text.
    "2017-08-vivienda-y-derechos": (
        None,
        "Vivienda y derechos",
        "",
        [
            "Muchas familias migrantes viven en viviendas pequeñas y caras. "
            "Los inquilinos tienen derecho a reparaciones y a un contrato por escrito, "
            "y el ayuntamiento debe inspeccionar las viviendas que no son seguras.",
            "Si el propietario amenaza con desalojarle, pida ayuda a nuestra asociación. "
            "Nuestros voluntarios acompañan a los inquilinos a las reuniones con el ayuntamiento.",
        ],
    ),
    # Two languages: an English and Spanish leaflet.
    "2021-02-welcome-bienvenidos": (
        ["en", "es"],
        "Welcome / Bienvenidos",
        "A bilingual welcome leaflet.",
        [
            "Welcome to the Riverside drop-in. Our volunteers answer questions about housing "
            "every Thursday.",
            "Bienvenidos al centro. Nuestros voluntarios contestan preguntas sobre la vivienda "
            "todos los jueves.",
        ],
    ),
}

RTL = {"ar"}


def page_html(lang, title, pages):
    main = lang if isinstance(lang, str) else (lang[0] if lang else "es")
    d = "rtl" if main in RTL else "ltr"
    body = [f"<h1>{html.escape(title)}</h1>"]
    for i, text in enumerate(pages):
        style = ' style="page-break-before: always"' if i else ""
        body.append(f"<p{style}>{html.escape(text)}</p>")
    return (
        f'<!DOCTYPE html><html lang="{main}" dir="{d}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head><body>{''.join(body)}</body></html>"
    )


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        for pid, (lang, title, summary, pages) in GUIDES.items():
            src = tmp / f"{pid}.html"
            src.write_text(page_html(lang, title, pages), encoding="utf-8")
            subprocess.run(
                ["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                 "--convert-to", "pdf:writer_web_pdf_Export", "--outdir", str(tmp), str(src)],
                check=True, capture_output=True,
            )
            shutil.copy(tmp / f"{pid}.pdf", HERE / f"{pid}.pdf")
            year, month = pid.split("-")[:2]
            lines = [
                f"id = {toml_str(pid)}",
                f"title = {toml_str(title)}",
                f'date = "{year}-{month}-01"',
                'type = "guide"',
            ]
            if summary:
                lines.append(f"summary = {toml_str(summary)}")
            if isinstance(lang, str):
                lines.append(f"language = {toml_str(lang)}")
            elif lang:
                lines.append("language = [" + ", ".join(toml_str(l) for l in lang) + "]")
            (HERE / f"{pid}.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
