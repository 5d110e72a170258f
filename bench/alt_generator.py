"""An independent synthetic benchmark for matching tracing requests to disclosed records.

Run:  .venv/bin/python bench/alt_generator.py --seed 5 --children 3000 --out DIR

Writes DIR/requests.csv, DIR/disclosures.csv and DIR/truth.csv (request_id,disclosed_id).

This generator was written without looking at the project's own demo generator or its
matching engine, so that it can be used to evaluate the engine honestly. Its name tables,
place tables and transliteration code are its own. The world it simulates:

* Families (not single children) are drawn first: a home town, a family surname, parents
  with their own patronymics, one to four separated children (twins sometimes, with paired
  names such as Олександр/Олександра), and "cousin families" that share the surname, the
  grandfather (so the fathers share a patronymic) and usually the town.
* A few "namesake" children copy the given name and surname of another child, born in the
  same year, to create near-duplicates between different children.
* Each child is requested by nobody, one, two or three relatives. Relatives abroad write in
  Latin letters (KMU 2010 mostly, but also older passport styles, Russian-style and
  German/Polish-style spellings); a parent knows more than a grandmother.
* Each child may be disclosed once by the custodial party, in Russian: Russified given
  names, patronymics and surnames, old or Russian place names, clerical date errors, missing
  parents, and for some children a new surname after guardianship (sometimes a new
  patronymic and a Russian birth place as well: an identity change).
* Russian children with no Ukrainian counterpart are mixed into the disclosed list; some of
  them share a name with a Ukrainian child.

Ids are random and rows are shuffled, so neither ids nor row order reveal the pairing.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

REQUEST_FIELDS: tuple[str, ...] = (
    "id",
    "given_name",
    "surname",
    "patronymic",
    "sex",
    "birth_date",
    "birth_place",
    "mother_name",
    "father_name",
    "last_known_place",
    "name_variants",
)
DISCLOSURE_FIELDS: tuple[str, ...] = (
    "id",
    "given_name",
    "surname",
    "patronymic",
    "sex",
    "birth_date",
    "birth_place",
    "mother_name",
    "father_name",
    "current_location",
    "institution",
)
TRUTH_FIELDS: tuple[str, ...] = ("request_id", "disclosed_id")

# ---------------------------------------------------------------------------------------------
# Given names. Token: ukrainian|russian forms (comma-separated, most usual first; empty means
# spelled the same)|weight (default 1)|ukrainian diminutives|russian diminutives.
# The weights model children born 2005-2022; adult-only names have weight 1 for children.
# ---------------------------------------------------------------------------------------------
_BOYS = """
Олександр|Александр|60|Сашко,Саша,Олесь|Саша,Шура  Максим||45|Максимко|Макс
Артем|Артём,Артем|40|Тема|Тёма  Дмитро|Дмитрий|40|Дмитрик,Діма|Дима
Данило|Даниил,Данила|30|Данилко,Даня|Даня  Матвій|Матвей|25|Матвійко|Матвейка
Назар||22|Назарко  Богдан||25|Богданчик,Даня|Богдаша  Іван|Иван|35|Іванко,Івась|Ваня
Михайло|Михаил|28|Михайлик,Міша|Миша  Андрій|Андрей|32|Андрійко|Андрюша
Владислав||25|Влад,Владик|Влад  Денис||18|Дениско|Дениска  Кирило|Кирилл|25|Кирилко|Кирюша
Микита|Никита|25|Микитка|Никитка  Нікіта|Никита|10||Никитка  Марк||15  Тимофій|Тимофей|15|Тимко|Тима
Ярослав||20|Ярчик,Славко|Слава  Давид||12  Олексій|Алексей|22|Льоша,Олексійко|Лёша
Євген|Евгений|15|Женя|Женя  Роман||15|Ромко|Рома  Єгор|Егор|18|Єгорчик|Егорка
Ілля|Илья|22|Іллюша|Илюша  Тарас||10|Тарасик  Остап||6|Остапко  Святослав||10|Свят|Слава
Вадим||6||Вадик  Віталій|Виталий|8|Віталік|Виталик  Юрій|Юрий|8|Юрко|Юра
Сергій|Сергей|10|Сергійко|Серёжа  Олег||7  Ігор|Игорь|6  Павло|Павел|10|Павлик|Паша
Степан||6|Степанко|Стёпа  Василь|Василий|7|Василько|Вася  Петро|Пётр,Петр|6|Петрик|Петя
Микола|Николай|8|Миколка|Коля  Антон||10|Антоша|Антоша  Арсеній|Арсений|14|Арсен|Сеня
Віктор|Виктор|6||Витя  В'ячеслав|Вячеслав|5|Славік|Слава  Станіслав|Станислав|6|Стас|Стас
Ростислав||8|Ростик|Ростик  Мирослав||5|Мирось  Любомир||3|Любко  Зіновій|Зиновий|1|Зеник
Орест||3|Орестик  Ярема|Ярема,Еремей,Ерёма|1|Яремко  Захар||10|Захарко  Тимур||7
Руслан||7  Платон||6  Лев||5|Левко|Лёва  Гліб|Глеб|6  Костянтин|Константин|8|Костя|Костя
Семен|Семён,Семен|4|Сенько|Сёма  Федір|Фёдор,Федор|4|Федько|Федя  Григорій|Григорий|3|Гриць|Гриша
Борис||3||Боря  Едуард|Эдуард|3||Эдик  Еміль|Эмиль|2  Ілларіон|Илларион  Мирон||4  Нестор||2
Панас|Афанасий,Панас|1|Панасик  Пилип|Филипп|3|Пилипко|Филя  Устим  Харитон  Юліан|Юлиан|2
Яків|Яков|2||Яша  Веніамін|Вениамин|2||Веня  Всеволод||2||Сева  Зорян||2  Ігнат|Игнат|2
Адам||3  Альберт||2  Аркадій|Аркадий  Арсен||3  Артур||5  Валентин||2||Валя
Валерій|Валерий|2||Валера  Володимир|Владимир|8|Володя,Вова|Вова  Влас  Геннадій|Геннадий||Гена
Георгій|Георгий|4||Гоша  Герман||2  Гордій|Гордей|2  Демид||2  Дем'ян|Демьян|3  Ельдар|Эльдар|2
Ернест|Эрнест  Зенон  Ізяслав|Изяслав  Йосип|Иосиф,Осип  Казимир  Касіян|Касьян  Климент
Корній|Корней  Лаврентій|Лаврентий  Леонід|Леонид|2||Лёня  Леонтій|Леонтий  Лук'ян|Лукьян|2
Макар||8  Марат  Марко|Марк,Марко|4  Мартин||2  Митрофан  Мстислав  Олесь|Олесь,Алесь|2
Омелян|Емельян  Пантелеймон  Радим  Радомир  Радослав  Савелій|Савелий|4||Савва  Софрон
Теодор|Теодор,Фёдор  Тихон||4  Трохим|Трофим  Фрол  Юхим|Ефим  Ян||3  Богуслав  Левко|Лев,Левко
Добромир  Яромир  Рустем||2  Енвер|Энвер  Ісмаїл|Исмаил  Теймур  Алі|Али  Мурат  Амір|Амир|2
Вікентій|Викентий  Кузьма  Лука||3  Мілан|Милан|2  Нікодим|Никодим  Овсій|Евсей  Прохор||2
Роберт||2  Серафим||2  Філімон|Филимон  Вітольд|Витольд  Северин  Августин  Амвросій|Амвросий
Аскольд  Устин  Ждан  Анатолій|Анатолий|1||Толя  Ярополк  Світозар|Светозар  Ілько|Илья,Илько
Гнат|Игнат  Дорофій|Дорофей  Євстахій|Евстафий  Кіндрат|Кондрат  Охрім|Ефрем
Самійло|Самуил,Самойла  Хома|Фома  Яким|Аким,Яким  Артемій|Артемий|3  Єлисей|Елисей|3
Сава|Савва|2  Максиміліан|Максимилиан  Даніель|Даниэль|2  Еліас|Элиас  Мирослав
"""

_GIRLS = """
Софія|София,Софья|50|Софійка,Соня|Соня  Анна||35|Аня,Ганнуся|Аня  Ганна|Анна|8|Ганнуся|Аня
Марія|Мария|40|Марійка,Маша|Маша  Анастасія|Анастасия|40|Настя|Настя
Вікторія|Виктория|35|Віка|Вика  Дар'я|Дарья|22|Даша|Даша  Дарина|Дарина,Дарья|20|Даринка|Даша
Поліна|Полина|25|Поліночка|Поля  Єлизавета|Елизавета|18|Ліза|Лиза
Олександра|Александра|20|Саша,Леся|Саша  Вероніка|Вероника|18|Ніка|Ника
Катерина|Екатерина|18|Катя|Катя  Ангеліна|Ангелина|15|Ліна  Аліна|Алина|12|Аля
Валерія|Валерия|12|Лера|Лера  Злата||12|Златка  Мілана|Милана|12
Соломія|Соломия,Соломея|10|Соломійка  Мирослава||9|Мирося|Мира  Богдана||7|Дана
Христина|Кристина,Христина|8|Христя
Ярина|Ярина,Арина|6|Яринка  Юлія|Юлия|14|Юля|Юля  Ірина|Ирина|6|Іринка|Ира
Олена|Елена|6|Оленка|Лена  Оксана||3|Ксеня  Олеся||5|Леся  Наталія|Наталья,Наталия|4|Наталка|Наташа
Тетяна|Татьяна|3|Таня|Таня  Світлана|Светлана|2|Світланка|Света  Людмила||1|Люда|Люда
Ольга||3|Оля|Оля  Надія|Надежда|2|Надійка|Надя  Любов|Любовь|1|Люба|Люба  Віра|Вера|2
Уляна|Ульяна|10|Уляночка|Уля  Василина|Василина,Василиса|5|Василинка  Василиса||3
Таїсія|Таисия|4|Тася|Тася  Кіра|Кира|6  Ксенія|Ксения|6|Ксюша|Ксюша  Діана|Диана|8
Єва|Ева|14|Євочка  Аріна|Арина|8  Маргарита||6|Рита|Рита  Марґарита|Маргарита|1|Рита|Рита
Емілія|Эмилия|6  Єсенія|Есения|3  Амелія|Амелия|4  Аміна|Амина|2  Евеліна|Эвелина|5
Каріна|Карина|6  Кристина||4  Яна||8  Ярослава||5|Яся|Слава  Стефанія|Стефания|5|Стефа
Зоряна||2  Лілія|Лилия|3|Ліля|Лиля  Ліана|Лиана|2  Лідія|Лидия  Лариса  Галина||1|Галя|Галя
Зінаїда|Зинаида||Зіна|Зина  Інна|Инна  Іванна|Иванна|6|Іванка  Євгенія|Евгения|4|Женя|Женя
Антоніна|Антонина||Тоня|Тоня  Алла  Агата||3  Аделіна|Аделина|2  Аліса|Алиса|10
Альона|Алёна,Алена|3  Анжеліка|Анжелика|2  Аріадна|Ариадна  Божена  Варвара||8|Варя|Варя
Веселка  Віолета|Виолетта|2  Владислава||4|Влада|Влада  Даяна||2  Домініка|Доминика|2
Дзвенислава  Євдокія|Евдокия,Авдотья  Ельвіра|Эльвира  Емма|Эмма|2  Жанна  Зарина  Зоя
Ілона|Илона  Каміла|Камила|3  Кароліна|Каролина|3  Лада  Леся||2  Любомира  Марина||3
Мар'яна|Марьяна|4  Марта||4  Меланія|Мелания|2  Мілена|Милена|2  Нелля|Нелли,Нелля  Ніна|Нина
Орися|Орыся,Орися  Павліна|Павлина  Раїса|Раиса  Регіна|Регина  Роксолана||2  Руслана||2
Сабіна|Сабина|2  Серафима||2  Сніжана|Снежана|2  Станіслава|Станислава|2  Тамара  Тереза
Устина|Устина,Устинья  Фаїна|Фаина  Юліана|Юлиана|2  Юстина  Ядвіга|Ядвига  Ельміра|Эльмира
Лейла  Ельвіна|Эльвина  Зарема  Айше  Гульнара  Еліна|Элина|3  Ніка|Ника|2  Іларія|Илария
Северина  Квітослава|Квитослава  Любава  Милослава  Валентина  Віталіна|Виталина  Аглая
Аврора||2  Адріана|Адриана  Влада||2  Дарія|Дарья,Дария|3  Мія|Мия|2  Неоніла|Неонила
Одарка|Дарья,Одарка  Параска|Прасковья  Пелагія|Пелагея  Рената  Розалія|Розалия  Сара
Анфіса|Анфиса  Інга|Инга  Мальва  Мирра||2  Олівія|Оливия|2  Златослава  Василіса|Василиса
Марічка|Маричка,Мария  Ліля|Лиля  Оріана|Ориана  Есфір|Эсфирь
"""

# Adult names for parents (born about 1965-1997) with their own weights.
_FATHERS = """
Олександр 30 Сергій 30 Андрій 25 Віталій 15 Юрій 15 Дмитро 15 Володимир 15 Олег 15 Ігор 15
Віктор 15 Микола 15 Іван 12 Василь 10 Петро 8 Михайло 10 Роман 10 Євген 10 Вадим 8 Руслан 8
Анатолій 8 Валерій 6 Геннадій 4 Леонід 4 Богдан 8 Тарас 6 Ярослав 6 Степан 4 Павло 8
Максим 8 Артем 6 Денис 8 Олексій 10 Костянтин 6 Григорій 4 Федір 3 Ілля 3 Яків 2 Кузьма 1
Лука 1 Зіновій 2 Орест 3 Любомир 2 Остап 2 Станіслав 4 Владислав 4 В'ячеслав 5 Едуард 3
Антон 5 Борис 3 Аркадій 2 Георгій 3 Кирило 3 Семен 2 Юліан 1 Ярема 1 Хома 1 Панас 1
Аркадій 1 Валентин 2 Мирослав 2 Ростислав 2 Тимур 2 Рустем 1 Ельдар 1 Гліб 1 Микита 2
"""

_MOTHERS = """
Олена 25 Наталія 25 Тетяна 25 Ірина 25 Оксана 25 Світлана 20 Юлія 20 Людмила 15 Ольга 20
Марина 12 Галина 8 Катерина 12 Анна 10 Ганна 5 Надія 6 Лариса 6 Алла 4 Інна 5 Віра 4
Валентина 4 Вікторія 10 Яна 6 Олеся 6 Марія 8 Любов 5 Лілія 4 Тамара 2 Зінаїда 1 Антоніна 2
Ніна 2 Христина 4 Мар'яна 4 Соломія 1 Уляна 3 Ярослава 3 Софія 2 Анастасія 6 Євгенія 4
Жанна 3 Дар'я 3 Аліна 5 Валерія 2 Кристина 3 Раїса 1 Нелля 1 Богдана 1 Мирослава 2 Зоряна 2
Альона 4 Ельвіра 1 Зарема 1 Лейла 1 Сніжана 2 Каріна 2 Діана 2 Руслана 2
"""

# Paired names given to opposite-sex twins.
_TWIN_PAIRS: tuple[tuple[str, str], ...] = (
    ("Олександр", "Олександра"),
    ("Ярослав", "Ярослава"),
    ("Богдан", "Богдана"),
    ("Владислав", "Владислава"),
    ("Іван", "Іванна"),
    ("Ян", "Яна"),
    ("Мирослав", "Мирослава"),
    ("Євген", "Євгенія"),
    ("Станіслав", "Станіслава"),
    ("Руслан", "Руслана"),
)

# ---------------------------------------------------------------------------------------------
# Surnames, in the masculine (or only) form. Token: ukrainian[=russian forms, comma-separated].
# Without "=", the Russian form follows the letter rules in _ru_letters plus suffix rules.
# ---------------------------------------------------------------------------------------------
_SURNAMES_ENKO = """
Бондаренко Шевченко Коваленко Ткаченко Кравченко Литвиненко Мельниченко Савченко Руденко
Марченко Петренко Кириленко Лисенко=Лысенко,Лисенко Гончаренко Павленко Левченко Харченко
Клименко Сидоренко Іваненко Тимошенко Ющенко Остапенко Юрченко Бойченко Захарченко Гриценко
Яременко Кузьменко Федоренко Демченко Мартиненко=Мартыненко,Мартиненко Романенко Степаненко
Дем'яненко Гавриленко Назаренко Пономаренко Мирошниченко Ярошенко Тарасенко Тимченко
Васильченко Головченко Гордієнко Діденко Зінченко Кучеренко Лук'яненко Лещенко
Миколаєнко=Николаенко,Миколаенко Оліфіренко Панченко Пилипенко Рибаченко=Рыбаченко,Рибаченко
Сахненко Семенко Сергієнко Стеценко Терещенко Фоменко Хоменко Чумаченко Шаповаленко Юхименко
Якименко Ященко Андрієнко Бабенко Власенко Грищенко Дорошенко Євтушенко Єременко Зубенко
Івченко Костенко Лавриненко Нестеренко Охріменко Прокопенко Радченко Сліпченко Тесленко
Устименко Філоненко Черненко Вакуленко Герасименко Дяченко Ємельяненко Іщенко Карпенко
Носенко Онищенко Проценко Самойленко Тищенко Усенко Фесенко Шинкаренко Яценко Кононенко
Олексієнко Мазуренко Бутенко Данильченко Нечипоренко Довженко Свириденко Кириченко
Максименко Кривенко Гнатенко Ковтуненко Литовченко Мисниченко Осадченко Пащенко Рибалченко
Сиротенко Тимошенко Швидченко Юзвенко
"""

_SURNAMES_UK = """
Шевчук Ковальчук Бондарчук Поліщук Мельничук Ткачук Кравчук Марчук Савчук Гаврилюк
Прокоп'юк Мартинюк Остапчук Данилюк Романюк Дмитрук Іванчук Климчук Панасюк Павлюк Степанюк
Якимчук Тимчук Левчук Сидорук Гнатюк Семенюк Федорук Стасюк Головчук Наумчук Ничипорук
Захарчук Литвинчук Петрук Костюк Лук'янчук Антонюк Васильчук Вакарчук Герасимчук Демчук
Кирилюк Максимчук Онищук Слободянюк Тарасюк Юрчук Ярмолюк Пилипчук Гуменюк Гребенюк
Дем'янчук Мар'янчук Кушнірук Олексюк Бойчук Грицюк Дячук Зінчук Кондратюк Процюк Харчук
Кравчишин Ящук Яковчук Дзюба
"""

_SURNAMES_SKYI = """
Ковальський Вишневський Яворський Дубровський Левицький Білецький=Белецкий,Билецкий
Ольшевський Садовський Томашевський Заславський Городецький Кульчицький Сосновський
Малиновський Липинський Ставицький Янківський Вербицький Лозинський Барановський
Ковалевський Тарнавський Кобилянський Калиновський Домбровський Бережницький Кузьмінський
Островський Богуцький Сікорський Хмельницький Рудницький Зарицький Чайковський Луцький
Свідзинський Гриневецький Залеський Косинський Жуковський Лисовський=Лисовский,Лысовский
Новицький Петрицький Соколовський Ясинський Савицький Підгірський=Подгорский,Пидгирский
"""

_SURNAMES_ICH = """
Бабич Мацкевич Якубович Карпович Лукашевич Юркевич Станкевич Мартинович Стефанович
Гринкевич Василевич Кулинич Ничипорович Войтович Симонович Петрушевич Левкович Сенкевич
Гнатович Вдович Кузьмич
"""

_SURNAMES_OTHER_UK = """
Мельник Коваль Бойко Ткач Кравець=Кравец Олійник=Олейник,Олийник Мороз Кушнір=Кушнир
Бондар=Бондарь,Бондар Гончар Лисак=Лысак,Лисак Сірко=Серко,Сирко Приходько Зозуля Вовк Сорока
Кучер Гайдук Козак Чорновол=Черновол,Чорновол Білоус=Белоус,Билоус Довгаль
Пасічник=Пасечник,Пасичник
Рибак=Рыбак,Рибак Дуда Бабій=Бабий Федорів=Федорив Іванів=Иванив Стецьків=Стецкив Гнатів=Гнатив
Андрусів=Андрусив Мазур Швець=Швец Гуцул Литвин Пономар=Пономарь,Пономар Білик=Белик,Билик
Цибуля Шапошник Коломієць=Коломиец Заєць=Заяц Горобець=Горобец Кобзар=Кобзарь Чумак Глушко
Юрко Щербак Щербина Дорош Головатий=Головатый Гуменний=Гуменный Середа Ступак Панчишин Гладун
Задорожний=Задорожный Лагода Скиба Грабар=Грабарь Лозовий=Лозовой,Лозовый Куліш=Кулиш Стельмах
Мирошник Кулик Гарбуз Гнатишин Оліфер=Олифер Чорний=Черный,Чорный Дудник Харитончук Корж
Костенюк Ярош Гребінь=Гребень Вернигора Нагірний=Нагорный,Нагирный Савчин Полтавець=Полтавец
"""

# Russian-origin surnames, common in eastern Ukraine. Ukrainian spelling = Russian spelling.
_SURNAMES_RU = """
Смирнов Кузнєцов=Кузнецов Попов Соколов Лебедєв=Лебедев Козлов Новіков=Новиков Морозов Петров
Волков Соловйов=Соловьёв,Соловьев Васильєв=Васильев Зайцев Павлов Семенов=Семёнов,Семенов
Голубєв=Голубев Виноградов Богданов Воробйов=Воробьёв,Воробьев Федоров=Фёдоров,Федоров
Михайлов Бєляєв=Беляев Тарасов Бєлов=Белов Комаров Орлов Кисельов=Киселёв,Киселев Макаров
Андрєєв=Андреев Ковальов=Ковалёв,Ковалев Ільїн=Ильин Гусєв=Гусев Титов Кузьмін=Кузьмин
Кудрявцев Баранов Куликов Алексєєв=Алексеев Степанов Яковлев Сорокін=Сорокин Сергєєв=Сергеев
Романов Захаров Борисов Корольов=Королёв,Королев Герасимов Пономарьов=Пономарёв,Пономарев
Григор'єв=Григорьев Лазарєв=Лазарев Медведєв=Медведев Єршов=Ершов Нікітін=Никитин
Соболєв=Соболев Рябов Поляков Цвєтков=Цветков Данилов Жуков Фролов Журавльов=Журавлёв,Журавлев
Ніколаєв=Николаев Крилов=Крылов Максимов Сидоров Осипов Бєлоусов=Белоусов Федотов Єгоров=Егоров
Матвєєв=Матвеев Бобров Дмитрієв=Дмитриев Калінін=Калинин Антонов Тимофєєв=Тимофеев Никифоров
Марков Миронов Александров Коновалов Казаков Денисов Громов Фомін=Фомин Давидов=Давыдов
Мельников Щербаков Колесников Карпов Афанасьєв=Афанасьев Власов Маслов Тихонов Гаврилов Котов
Горбунов Биков=Быков Зуєв=Зуев Третьяков Панов Рибаков=Рыбаков Абрамов Воронов Мухін=Мухин
Трофимов Мартинов=Мартынов Ємельянов=Емельянов Чернов Назаров Потапов Некрасов Хохлов Жданов
Наумов Єрмаков=Ермаков Дроздов Ігнатьєв=Игнатьев Савін=Савин Логінов=Логинов Капустін=Капустин
Кірілов=Кириллов Моїсеєв=Моисеев Костін=Костин Горбачов=Горбачёв,Горбачев Орєхов=Орехов
Єфремов=Ефремов Ісаєв=Исаев Калашников Прохоров Нестеров Харитонов Зимін=Зимин Філатов=Филатов
Крюков Гришин Мішин=Мишин Шапошников Тетерін=Тетерин Іванов=Иванов Сєдов=Седов Кравцов Литвинов
Пєтухов=Петухов Черкасов Сафонов Лобанов Кулагін=Кулагин Бєлик=Белик Шестаков Рогов
"""

# Greek (Rumei and Urum) surnames of the Mariupol area.
_SURNAMES_GREEK = """
Хаджинов Папуш Кіор=Киор Бахчиванджи Челпан Чабанов Пашалі=Пашали Карабаджак Попандопуло
Тохтамиш Кечеджі=Кечеджи Мавроді=Мавроди Сарбаш Узун Хаджиогло Кір'яков=Кирьяков Харабет
Теохаров Хаджи Байрак Сахно Кьор=Кёр,Кер
"""

# Places. Fields: ukrainian | older ukrainian name | russian | name the Russian side uses instead
# (older or occupation-era name) | kind | oblast | weight | g (Greek villages around Mariupol).
_PLACES = """
Маріуполь||Мариуполь||м|DN|30|g
Сартана||Сартана||смт|DN|2|g
Старий Крим||Старый Крым||смт|DN|1|g
Мангуш|Першотравневе|Мангуш|Первомайское|смт|DN|2|g
Нікольське|Володарське|Никольское|Володарское|смт|DN|2|g
Урзуф||Урзуф||с|DN|1|g
Ялта||Ялта||смт|DN|1|g
Бахмут|Артемівськ|Бахмут|Артёмовск|м|DN|8|
Покровськ|Красноармійськ|Покровск|Красноармейск|м|DN|6|
Торецьк|Дзержинськ|Торецк|Дзержинск|м|DN|4|
Мирноград|Димитров|Мирноград|Димитров|м|DN|3|
Краматорськ||Краматорск||м|DN|6|
Слов'янськ||Славянск||м|DN|6|
Горлівка||Горловка||м|DN|6|
Донецьк||Донецк||м|DN|12|
Волноваха||Волноваха||м|DN|3|
Вугледар||Угледар||м|DN|2|
Лиман|Красний Лиман|Лиман|Красный Лиман|м|DN|2|
Дружківка||Дружковка||м|DN|2|
Костянтинівка||Константиновка||м|DN|3|
Авдіївка||Авдеевка||м|DN|3|
Ясинувата||Ясиноватая||м|DN|2|
Макіївка||Макеевка||м|DN|5|
Єнакієве||Енакиево||м|DN|2|
Дебальцеве||Дебальцево||м|DN|1|
Чистякове|Торез|Чистяково|Торез|м|DN|2|
Кальміуське|Комсомольське|Кальмиусское|Комсомольское|смт|DN|1|
Селидове||Селидово||м|DN|2|
Курахове||Курахово||м|DN|2|
Часів Яр||Часов Яр||м|DN|1|
Сіверськ||Северск||м|DN|1|
Світлодарськ||Светлодарск||м|DN|1|
Соледар||Соледар||м|DN|1|
Новогродівка||Новогродовка||м|DN|1|
Докучаєвськ||Докучаевск||м|DN|1|
Шахтарськ||Шахтёрск||м|DN|1|
Сніжне||Снежное||м|DN|1|
Харцизьк||Харцызск||м|DN|1|
Хрестівка|Кіровське|Хрестовка|Кировское|м|DN|1|
Луганськ||Луганск||м|LH|6|
Сєвєродонецьк||Северодонецк||м|LH|5|
Лисичанськ||Лисичанск||м|LH|4|
Рубіжне||Рубежное||м|LH|3|
Сватове||Сватово||м|LH|2|
Старобільськ||Старобельск||м|LH|2|
Алчевськ||Алчевск||м|LH|2|
Хрустальний|Красний Луч|Хрустальный|Красный Луч|м|LH|1|
Довжанськ|Свердловськ|Довжанск|Свердловск|м|LH|1|
Сорокине|Краснодон|Сорокино|Краснодон|м|LH|1|
Кадіївка|Стаханов|Кадиевка|Стаханов|м|LH|1|
Голубівка|Кіровськ|Голубовка|Кировск|м|LH|1|
Щастя||Счастье||м|LH|1|
Кремінна||Кременная||м|LH|1|
Мелітополь||Мелитополь||м|ZP|8|
Бердянськ||Бердянск||м|ZP|5|
Енергодар||Энергодар||м|ZP|3|
Токмак||Токмак||м|ZP|2|
Приморськ||Приморск||м|ZP|1|
Василівка||Васильевка||м|ZP|1|
Пологи||Пологи||м|ZP|1|
Запоріжжя||Запорожье||м|ZP|4|
Оріхів||Орехов||м|ZP|1|
Якимівка||Акимовка||смт|ZP|1|
Кам'янка-Дніпровська||Каменка-Днепровская||м|ZP|1|
Херсон||Херсон||м|KS|12|
Нова Каховка||Новая Каховка||м|KS|4|
Каховка||Каховка||м|KS|2|
Олешки|Цюрупинськ|Алёшки|Цюрупинск|м|KS|2|
Гола Пристань||Голая Пристань||м|KS|2|
Скадовськ||Скадовск||м|KS|2|
Генічеськ||Геническ||м|KS|2|
Чорнобаївка||Чернобаевка||с|KS|1|
Берислав||Берислав||м|KS|1|
Харків||Харьков||м|KH|6|
Ізюм||Изюм||м|KH|3|
Куп'янськ||Купянск||м|KH|3|
Балаклія||Балаклея||м|KH|2|
Вовчанськ||Волчанск||м|KH|2|
Чугуїв||Чугуев||м|KH|1|
Лозова||Лозовая||м|KH|1|
Миколаїв||Николаев||м|MK|3|
Снігурівка||Снигирёвка||м|MK|1|
Очаків||Очаков||м|MK|1|
Дніпро|Дніпропетровськ|Днепр|Днепропетровск|м|DP|3|
Кам'янське|Дніпродзержинськ|Каменское|Днепродзержинск|м|DP|1|
Кривий Ріг||Кривой Рог||м|DP|1|
Нікополь||Никополь||м|DP|1|
Кропивницький|Кіровоград|Кропивницкий|Кировоград|м|KR|1|
Горішні Плавні|Комсомольськ|Горишние Плавни|Комсомольск|м|PL|1|
Київ||Киев||м|KV|1|
Ірпінь||Ирпень||м|KV|1|
Буча||Буча||м|KV|1|
Бородянка||Бородянка||смт|KV|1|
Чернігів||Чернигов||м|CH|1|
Охтирка||Ахтырка||м|SU|1|
Сімферополь||Симферополь||м|CR|1|
Джанкой||Джанкой||м|CR|1|
"""

_OBLASTS: dict[str, tuple[str, str, str]] = {
    # code: (ukrainian, russian, occupation-era "republic" used by the Russian side, if any)
    "DN": ("Донецька обл.", "Донецкая обл.", "ДНР"),
    "LH": ("Луганська обл.", "Луганская обл.", "ЛНР"),
    "ZP": ("Запорізька обл.", "Запорожская обл.", ""),
    "KS": ("Херсонська обл.", "Херсонская обл.", ""),
    "KH": ("Харківська обл.", "Харьковская обл.", ""),
    "MK": ("Миколаївська обл.", "Николаевская обл.", ""),
    "DP": ("Дніпропетровська обл.", "Днепропетровская обл.", ""),
    "KR": ("Кіровоградська обл.", "Кировоградская обл.", ""),
    "PL": ("Полтавська обл.", "Полтавская обл.", ""),
    "KV": ("Київська обл.", "Киевская обл.", ""),
    "CH": ("Чернігівська обл.", "Черниговская обл.", ""),
    "SU": ("Сумська обл.", "Сумская обл.", ""),
    "CR": ("АР Крим", "Республика Крым", ""),
}
_OCCUPIED = ("DN", "LH", "ZP", "KS", "CR")

# Russian towns: birth places of Russian children, destinations, replaced birth places.
_RU_TOWNS: tuple[tuple[str, str], ...] = (
    ("Таганрог", "Ростовская обл."),
    ("Ростов-на-Дону", "Ростовская обл."),
    ("Шахты", "Ростовская обл."),
    ("Новочеркасск", "Ростовская обл."),
    ("Москва", ""),
    ("Подольск", "Московская обл."),
    ("Балашиха", "Московская обл."),
    ("Курск", "Курская обл."),
    ("Белгород", "Белгородская обл."),
    ("Воронеж", "Воронежская обл."),
    ("Краснодар", "Краснодарский край"),
    ("Анапа", "Краснодарский край"),
    ("Сочи", "Краснодарский край"),
    ("Новосибирск", "Новосибирская обл."),
    ("Тюмень", "Тюменская обл."),
    ("Омск", "Омская обл."),
    ("Челябинск", "Челябинская обл."),
    ("Екатеринбург", "Свердловская обл."),
    ("Пермь", "Пермский край"),
    ("Нижний Новгород", "Нижегородская обл."),
    ("Кострома", "Костромская обл."),
    ("Ярославль", "Ярославская обл."),
    ("Вологда", "Вологодская обл."),
    ("Мурманск", "Мурманская обл."),
    ("Псков", "Псковская обл."),
    ("Калуга", "Калужская обл."),
    ("Тула", "Тульская обл."),
    ("Рязань", "Рязанская обл."),
    ("Пенза", "Пензенская обл."),
    ("Саратов", "Саратовская обл."),
    ("Волгоград", "Волгоградская обл."),
    ("Астрахань", "Астраханская обл."),
    ("Ставрополь", "Ставропольский край"),
    ("Пятигорск", "Ставропольский край"),
    ("Хабаровск", "Хабаровский край"),
    ("Иркутск", "Иркутская обл."),
    ("Красноярск", "Красноярский край"),
    ("Кемерово", "Кемеровская обл."),
    ("Тверь", "Тверская обл."),
    ("Брянск", "Брянская обл."),
    ("Липецк", "Липецкая обл."),
    ("Тамбов", "Тамбовская обл."),
    ("Чебоксары", "Чувашская Республика"),
    ("Казань", "Республика Татарстан"),
    ("Уфа", "Республика Башкортостан"),
    ("Оренбург", "Оренбургская обл."),
    ("Самара", "Самарская обл."),
    ("Ульяновск", "Ульяновская обл."),
    ("Майкоп", "Республика Адыгея"),
    ("Элиста", "Республика Калмыкия"),
    ("Сыктывкар", "Республика Коми"),
    ("Магадан", "Магаданская обл."),
)
_SHELTER_NAMES = (
    "Солнышко",
    "Радуга",
    "Надежда",
    "Алые паруса",
    "Ласточка",
    "Дружба",
    "Светлячок",
    "Теремок",
    "Лучик",
    "Родник",
    "Гнёздышко",
    "Островок",
    "Семья",
    "Парус",
)
# Where relatives last saw a child, besides home: transit points and camps (Ukrainian names).
_LAST_SEEN_EXTRA = (
    "Таганрог",
    "Ростов-на-Дону",
    "Безіменне, фільтраційний пункт",
    "Євпаторія, оздоровчий табір",
    "Анапа, табір",
    "Бердянськ, табір",
    "Донецьк, лікарня",
    "Мелітополь, лікарня",
    "Херсон, дитячий будинок",
    "Гола Пристань, табір «Лісова казка»",
)

# ---------------------------------------------------------------------------------------------
# Table parsing
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GivenName:
    uk: str
    ru: tuple[str, ...]
    weight: float
    uk_dims: tuple[str, ...]
    ru_dims: tuple[str, ...]


@dataclass(frozen=True)
class SurnameEntry:
    uk: str
    ru: tuple[str, ...]
    kind: str  # "adj" (-ський, -ий), "pos" (-ов, -ін: +а for women) or "inv" (invariable)
    origin: str  # "ua", "ru" or "greek"


@dataclass(frozen=True)
class Place:
    uk: str
    uk_old: str
    ru: str
    ru_alt: str
    kind: str
    oblast: str
    weight: float
    greek: bool


def _split_list(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.split(",") if part)


def _parse_given(table: str) -> list[GivenName]:
    names: dict[str, GivenName] = {}
    for token in table.split():
        uk, ru, weight, uk_dims, ru_dims = (token.split("|") + ["", "", "", ""])[:5]
        if uk in names:
            continue
        names[uk] = GivenName(
            uk=uk,
            ru=_split_list(ru) or (uk,),
            weight=float(weight or 0.4),
            uk_dims=_split_list(uk_dims),
            ru_dims=_split_list(ru_dims),
        )
    return list(names.values())


def _parse_weighted(table: str) -> list[tuple[str, float]]:
    tokens = table.split()
    merged: dict[str, float] = {}
    for name, weight in zip(tokens[::2], tokens[1::2], strict=True):
        merged[name] = merged.get(name, 0.0) + float(weight)
    return list(merged.items())


def _surname_kind(uk: str, origin: str) -> str:
    if uk.endswith("ий"):
        return "adj"
    if origin in ("ru", "greek") and re.search(r"(ов|ев|єв|ін|їн|ин)$", uk):
        return "pos"
    return "inv"


def _parse_surnames(table: str, origin: str, seen: set[str]) -> list[SurnameEntry]:
    entries = []
    for token in table.split():
        uk, _, ru = token.partition("=")
        if uk in seen:
            continue
        seen.add(uk)
        ru_forms = _split_list(ru) or (_ru_surname_rule(uk),)
        entries.append(SurnameEntry(uk, ru_forms, _surname_kind(uk, origin), origin))
    return entries


def _parse_places(table: str) -> list[Place]:
    places = []
    for line in table.strip().splitlines():
        uk, uk_old, ru, ru_alt, kind, oblast, weight, flags = line.split("|")
        places.append(Place(uk, uk_old, ru, ru_alt, kind, oblast, float(weight), flags == "g"))
    return places


# ---------------------------------------------------------------------------------------------
# Spelling rules: Ukrainian letters in Russian records, patronymics, transliteration
# ---------------------------------------------------------------------------------------------
_APOSTROPHES = "'’ʼ"
_UK_VOWELS = "аеєиіїоуюя"


def _ru_letters(text: str) -> str:
    """Write a Ukrainian word with Russian letters, the way a clerk copies it letter by letter."""
    out: list[str] = []
    for index, char in enumerate(text):
        low = char.lower()
        prev = text[index - 1].lower() if index else ""
        if low in _APOSTROPHES:
            rep = "ь"
        elif low == "і":
            rep = "и"
        elif low == "ї":
            rep = "и" if prev in _APOSTROPHES else ("йи" if prev in _UK_VOWELS else "и")
        elif low == "є":
            rep = "е"
        elif low == "ґ":
            rep = "г"
        else:
            rep = low
        if char.isupper():
            rep = rep[0].upper() + rep[1:]
        out.append(rep)
    return "".join(out)


def _ru_surname_rule(uk: str) -> str:
    ru = _ru_letters(uk)
    ru = re.sub(r"ький$", "кий", ru)
    ru = re.sub(r"ць$", "ц", ru)
    return ru


def _uk_feminine(uk: str, kind: str) -> str:
    if kind == "adj":
        return uk[:-2] + "а"
    if kind == "pos":
        return uk + "а"
    return uk


def _ru_feminine(ru: str, kind: str) -> str:
    if kind == "adj":
        return ru[:-2] + "ая"
    if kind == "pos":
        return ru + "а"
    return ru


_UK_PATRONYMIC_EXCEPTIONS: dict[str, tuple[str, str]] = {
    "Микола": ("Миколайович", "Миколаївна"),
    "Ілля": ("Ілліч", "Іллівна"),
    "Кузьма": ("Кузьмич", "Кузьмівна"),
    "Лука": ("Лукич", "Луківна"),
    "Хома": ("Хомич", "Хомівна"),
    "Сава": ("Савич", "Савівна"),
    "Яків": ("Якович", "Яківна"),
    "Федір": ("Федорович", "Федорівна"),
    "Григорій": ("Григорович", "Григорівна"),
    "Ярема": ("Яремович", "Яремівна"),
    "Микита": ("Микитович", "Микитівна"),
}

_RU_PATRONYMIC_EXCEPTIONS: dict[str, tuple[str, str]] = {
    "Илья": ("Ильич", "Ильинична"),
    "Кузьма": ("Кузьмич", "Кузьминична"),
    "Лука": ("Лукич", "Лукинична"),
    "Фома": ("Фомич", "Фоминична"),
    "Никита": ("Никитич", "Никитична"),
    "Савва": ("Саввич", "Саввична"),
    "Яков": ("Яковлевич", "Яковлевна"),
    "Пётр": ("Петрович", "Петровна"),
    "Петр": ("Петрович", "Петровна"),
    "Павел": ("Павлович", "Павловна"),
    "Лев": ("Львович", "Львовна"),
    "Михаил": ("Михайлович", "Михайловна"),
    "Дмитрий": ("Дмитриевич", "Дмитриевна"),
    "Георгий": ("Георгиевич", "Георгиевна"),
    "Ярема": ("Яремович", "Яремовна"),
}


def uk_patronymic(father: str, sex: str) -> str:
    """The Ukrainian patronymic from a father's Ukrainian given name."""
    index = 0 if sex == "M" else 1
    if father in _UK_PATRONYMIC_EXCEPTIONS:
        return _UK_PATRONYMIC_EXCEPTIONS[father][index]
    if father.endswith("ій"):
        stem = father[:-1]
        return stem + ("йович" if sex == "M" else "ївна")
    if father.endswith(("о", "а", "я")):
        stem = father[:-1]
        return stem + ("ович" if sex == "M" else "івна")
    if father.endswith("ь"):
        return father + "ович" if sex == "M" else father[:-1] + "івна"
    return father + ("ович" if sex == "M" else "івна")


def ru_patronymic(father: str, sex: str) -> str:
    """The Russian patronymic from a father's Russian given name."""
    index = 0 if sex == "M" else 1
    if father in _RU_PATRONYMIC_EXCEPTIONS:
        return _RU_PATRONYMIC_EXCEPTIONS[father][index]
    if father.endswith("ий"):
        stem = father[:-2] + "ь"
        return stem + ("евич" if sex == "M" else "евна")
    if father.endswith(("ей", "ай")):
        stem = father[:-1]
        return stem + ("евич" if sex == "M" else "евна")
    if father.endswith("ь"):
        stem = father[:-1]
        return stem + ("евич" if sex == "M" else "евна")
    if father.endswith(("а", "я")):
        stem = father[:-1]
        return stem + ("ович" if sex == "M" else "овна")
    return father + ("ович" if sex == "M" else "овна")


_KMU: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
    "я": "ia", "'": "", "’": "", "ʼ": "",
}  # fmt: skip
_KMU_INITIAL: dict[str, str] = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}

_RU_LATIN: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}  # fmt: skip


def _case_like(source: str, latin: str) -> str:
    if source.isupper() and latin:
        return latin[0].upper() + latin[1:]
    return latin


def kmu(text: str) -> str:
    """Ukrainian national romanization (Cabinet of Ministers resolution 55, 2010)."""
    out: list[str] = []
    word_start = True
    for index, char in enumerate(text):
        low = char.lower()
        if low not in _KMU:
            out.append(char)
            word_start = True
            continue
        if low == "г" and index and text[index - 1].lower() == "з":
            latin = "gh"
        elif word_start and low in _KMU_INITIAL:
            latin = _KMU_INITIAL[low]
        else:
            latin = _KMU[low]
        out.append(_case_like(char, latin))
        word_start = False
    return "".join(out)


def old_passport(text: str) -> str:
    """Pre-2010 passport style: no special word-initial forms (Iuliia, Iaroslav, Ievhen)."""
    out = []
    for char in text:
        low = char.lower()
        latin = _KMU.get(low, char)
        out.append(_case_like(char, latin))
    return "".join(out)


def ru_latin(text: str) -> str:
    """Romanize a Russian spelling the way older Russian-language documents did."""
    out = []
    for char in text:
        low = char.lower()
        latin = _RU_LATIN.get(low, char)
        out.append(_case_like(char, latin))
    return "".join(out)


def _yish(latin: str) -> str:
    """Informal endings: Andrii -> Andriy, Yuliia -> Yuliya."""
    latin = re.sub(r"iia\b", "iya", latin)
    return re.sub(r"ii\b", "iy", latin)


def _simple(latin: str) -> str:
    """Shortened endings: Yuliia -> Yulia, Sofiia -> Sofia."""
    return re.sub(r"iia\b", "ia", latin)


def _folk(latin: str) -> str:
    """German/Polish-flavoured spelling on top of KMU: Julija, Jaroslav, Olexandr."""
    latin = latin.replace("ks", "x").replace("Ks", "X")
    latin = re.sub(r"\bY([aeiu])", r"J\1", latin)
    latin = re.sub(r"iia\b", "ija", latin)
    return re.sub(r"ia\b", "ija", latin)


_Scheme = Callable[[str, str], str]  # (ukrainian, russian) -> latin

_SCHEMES: dict[str, _Scheme] = {
    "kmu": lambda uk, _ru: kmu(uk),
    "kmu_y": lambda uk, _ru: _yish(kmu(uk)),
    "simple": lambda uk, _ru: _simple(kmu(uk)),
    "old": lambda uk, _ru: old_passport(uk),
    "rus": lambda _uk, ru: ru_latin(ru),
    "folk": lambda uk, _ru: _folk(kmu(uk)),
}
_SCHEME_WEIGHTS: dict[str, float] = {
    "kmu": 64,
    "kmu_y": 10,
    "simple": 6,
    "old": 7,
    "rus": 9,
    "folk": 4,
}


def _drop_yo(text: str) -> str:
    return text.replace("ё", "е").replace("Ё", "Е")


# ---------------------------------------------------------------------------------------------
# Loaded tables
# ---------------------------------------------------------------------------------------------
BOYS: list[GivenName] = _parse_given(_BOYS)
GIRLS: list[GivenName] = _parse_given(_GIRLS)
GIVEN_BY_UK: dict[str, GivenName] = {g.uk: g for g in BOYS} | {g.uk: g for g in GIRLS}
FATHERS: list[tuple[str, float]] = _parse_weighted(_FATHERS)
MOTHERS: list[tuple[str, float]] = _parse_weighted(_MOTHERS)

_seen_surnames: set[str] = set()
SURNAMES_BY_GROUP: dict[str, list[SurnameEntry]] = {
    "enko": _parse_surnames(_SURNAMES_ENKO, "ua", _seen_surnames),
    "uk": _parse_surnames(_SURNAMES_UK, "ua", _seen_surnames),
    "skyi": _parse_surnames(_SURNAMES_SKYI, "ua", _seen_surnames),
    "ich": _parse_surnames(_SURNAMES_ICH, "ua", _seen_surnames),
    "other": _parse_surnames(_SURNAMES_OTHER_UK, "ua", _seen_surnames),
    "ru": _parse_surnames(_SURNAMES_RU, "ru", _seen_surnames),
    "greek": _parse_surnames(_SURNAMES_GREEK, "greek", _seen_surnames),
}
ALL_SURNAMES: list[SurnameEntry] = [s for group in SURNAMES_BY_GROUP.values() for s in group]
PLACES: list[Place] = _parse_places(_PLACES)

# Shares of the Ukrainian surname groups among families outside the special cases.
_GROUP_SHARES: dict[str, float] = {"enko": 38, "uk": 22, "skyi": 9, "ich": 4, "other": 27}
# The names families most often share, to create many near-duplicates (Іван Іваненко).
_COMMON_SURNAMES = ("Іваненко", "Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Мельник")


def _zipf_weights(count: int, exponent: float = 0.85) -> list[float]:
    return [1.0 / (rank + 4) ** exponent for rank in range(count)]


class _Sampler:
    """Weighted sampling with precomputed cumulative weights."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cum = list(accumulate(weights))

    def __call__(self, rng: random.Random) -> Any:
        return rng.choices(self.items, cum_weights=self.cum, k=1)[0]


_BOY_SAMPLER = _Sampler(BOYS, [g.weight for g in BOYS])
_GIRL_SAMPLER = _Sampler(GIRLS, [g.weight for g in GIRLS])
_FATHER_SAMPLER = _Sampler([n for n, _ in FATHERS], [w for _, w in FATHERS])
_MOTHER_SAMPLER = _Sampler([n for n, _ in MOTHERS], [w for _, w in MOTHERS])
_GROUP_SAMPLERS: dict[str, _Sampler] = {
    name: _Sampler(group, _zipf_weights(len(group))) for name, group in SURNAMES_BY_GROUP.items()
}
_GROUP_PICKER = _Sampler(list(_GROUP_SHARES), list(_GROUP_SHARES.values()))
_PLACE_SAMPLER = _Sampler(PLACES, [p.weight for p in PLACES])
_SCHEME_PICKER = _Sampler(list(_SCHEME_WEIGHTS), list(_SCHEME_WEIGHTS.values()))
_SURNAME_BY_UK: dict[str, SurnameEntry] = {s.uk: s for s in ALL_SURNAMES}


def _given(uk: str) -> GivenName:
    return GIVEN_BY_UK[uk]


def _ru_primary(uk_given: str) -> str:
    entry = GIVEN_BY_UK.get(uk_given)
    return entry.ru[0] if entry else _ru_letters(uk_given)


# ---------------------------------------------------------------------------------------------
# The simulated world
# ---------------------------------------------------------------------------------------------


@dataclass
class Surname:
    """One or two (double-barrelled) surname entries."""

    parts: tuple[SurnameEntry, ...]

    def uk(self, sex: str) -> str:
        return "-".join(_uk_feminine(p.uk, p.kind) if sex == "F" else p.uk for p in self.parts)

    def ru(self, sex: str, rng: random.Random) -> str:
        forms = []
        for part in self.parts:
            base = part.ru[0] if len(part.ru) == 1 or rng.random() < 0.78 else rng.choice(part.ru)
            forms.append(_ru_feminine(base, part.kind) if sex == "F" else base)
        return "-".join(forms)


@dataclass
class Adult:
    given: str  # Ukrainian form
    patronymic_source: str  # the adult's father's Ukrainian given name
    surname: Surname
    sex: str


@dataclass
class Family:
    key: int
    surname: Surname
    home: Place
    father: Adult
    mother: Adult
    father_known: bool
    grandfather: str
    cousin_of: int | None
    files_request: bool
    disclosed: bool
    children: list[Child] = field(default_factory=list)


@dataclass
class Child:
    key: int
    family: Family
    sex: str
    given: GivenName
    birth: date
    twin: bool = False
    namesake: bool = False
    requested: bool = False
    disclosed: bool = False


def _sample_given(rng: random.Random, sex: str, avoid: set[str]) -> GivenName:
    sampler = _BOY_SAMPLER if sex == "M" else _GIRL_SAMPLER
    for _ in range(50):
        name: GivenName = sampler(rng)
        if name.uk not in avoid:
            return name
    fallback: GivenName = sampler(rng)
    return fallback


def _sample_surname(rng: random.Random, home: Place) -> Surname:
    russian_share = 0.27 if home.oblast in ("DN", "LH", "KH", "CR") else 0.03
    roll = rng.random()
    if home.greek and roll < 0.3:
        entry = _GROUP_SAMPLERS["greek"](rng)
    elif rng.random() < russian_share:
        entry = _GROUP_SAMPLERS["ru"](rng)
    elif rng.random() < 0.05:
        entry = _SURNAME_BY_UK[rng.choice(_COMMON_SURNAMES)]
    else:
        entry = _GROUP_SAMPLERS[_GROUP_PICKER(rng)](rng)
    if rng.random() < 0.02:
        second = _GROUP_SAMPLERS[_GROUP_PICKER(rng)](rng)
        if second.uk != entry.uk:
            return Surname((entry, second))
    return Surname((entry,))


_LAST_BIRTH = date(2022, 9, 30)


def _sample_birth(rng: random.Random) -> date:
    start = date(2005, 1, 1)
    return start + timedelta(days=rng.randrange((_LAST_BIRTH - start).days + 1))


def _place_near(rng: random.Random, home: Place) -> Place:
    same = [p for p in PLACES if p.oblast == home.oblast and p is not home]
    return rng.choice(same) if same else home


def _new_family(rng: random.Random, key: int, cousin_of: Family | None) -> Family:
    if cousin_of is not None:
        home = cousin_of.home if rng.random() < 0.75 else _place_near(rng, cousin_of.home)
        surname = Surname(cousin_of.surname.parts[:1])
        grandfather = cousin_of.grandfather
        father_given = cousin_of.father.given
        while father_given == cousin_of.father.given:
            father_given = _FATHER_SAMPLER(rng)
    else:
        home = _PLACE_SAMPLER(rng)
        surname = _sample_surname(rng, home)
        grandfather = _FATHER_SAMPLER(rng)
        father_given = _FATHER_SAMPLER(rng)
    father = Adult(father_given, grandfather, surname, "M")
    mother_surname = surname
    if rng.random() < 0.18:
        mother_surname = Surname((_GROUP_SAMPLERS[_GROUP_PICKER(rng)](rng),))
    mother = Adult(_MOTHER_SAMPLER(rng), _FATHER_SAMPLER(rng), mother_surname, "F")
    return Family(
        key=key,
        surname=surname,
        home=home,
        father=father,
        mother=mother,
        father_known=rng.random() < 0.88,
        grandfather=grandfather,
        cousin_of=cousin_of.key if cousin_of is not None else None,
        files_request=rng.random() < 0.82,
        disclosed=rng.random() < 0.8,
    )


def _family_size(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.78:
        return 1
    if roll < 0.94:
        return 2
    if roll < 0.99:
        return 3
    return 4


def _add_children(rng: random.Random, family: Family, size: int, next_key: int) -> int:
    used: set[str] = set()
    first = _sample_birth(rng)
    births = [first]
    for _ in range(size - 1):
        gap = rng.randint(365, 7 * 365) * rng.choice((-1, 1))
        candidate = first + timedelta(days=gap)
        candidate = min(max(candidate, date(2005, 1, 1)), _LAST_BIRTH)
        births.append(candidate)
    twins = size >= 2 and rng.random() < 0.14
    if twins:
        births[1] = births[0]
    for index, birth in enumerate(births):
        sex = rng.choice("MF")
        given: GivenName | None = None
        if twins and index == 1:
            sibling = family.children[0]
            pair = next((p for p in _TWIN_PAIRS if sibling.given.uk in p), None)
            if pair is not None and rng.random() < 0.35:
                sex = "F" if sibling.sex == "M" else "M"
                given = _given(pair[1] if sibling.sex == "M" else pair[0])
        if given is None:
            given = _sample_given(rng, sex, used)
        used.add(given.uk)
        family.children.append(Child(next_key, family, sex, given, birth, twin=twins and index < 2))
        next_key += 1
    return next_key


def _build_world(rng: random.Random, n_children: int) -> list[Family]:
    families: list[Family] = []
    children = 0
    next_key = 0
    while children < n_children:
        roll = rng.random()
        if families and roll < 0.07:
            relative = rng.choice(families)
            family = _new_family(rng, len(families), relative)
            size = min(_family_size(rng), n_children - children)
            next_key = _add_children(rng, family, size, next_key)
            kid = family.children[0]
            same_sex = [c for c in relative.children if c.sex == kid.sex]
            if same_sex and rng.random() < 0.2:  # named after the same grandparent
                kid.given = rng.choice(same_sex).given
        elif families and roll < 0.10:
            # A namesake: same given name and surname as another child, same year.
            model = rng.choice(rng.choice(families).children)
            family = _new_family(rng, len(families), None)
            if rng.random() < 0.6:
                family.home = model.family.home
            family.surname = Surname(model.family.surname.parts)
            family.father.surname = family.surname
            if family.mother.surname is not family.surname and rng.random() < 0.8:
                family.mother.surname = family.surname
            birth = date(model.birth.year, 1, 1) + timedelta(days=rng.randrange(365))
            family.children.append(
                Child(next_key, family, model.sex, model.given, birth, namesake=True)
            )
            next_key += 1
        else:
            family = _new_family(rng, len(families), None)
            size = min(_family_size(rng), n_children - children)
            next_key = _add_children(rng, family, size, next_key)
        families.append(family)
        children += len(family.children)
    return families


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------
_DIGIT_SLIPS: dict[str, str] = {
    "0": "689",
    "1": "74",
    "2": "37",
    "3": "82",
    "4": "19",
    "5": "63",
    "6": "05",
    "7": "12",
    "8": "30",
    "9": "40",
}


def _iso(day: date, precision: int = 3) -> str:
    return day.isoformat()[: (4, 7, 10)[precision - 1]]


def _digit_slip(rng: random.Random, day: date) -> date | None:
    for _ in range(12):
        text = list(day.strftime("%Y%m%d"))
        position = rng.choice((3, 3, 5, 6, 7, 7, 7))
        text[position] = rng.choice(_DIGIT_SLIPS[text[position]])
        try:
            slipped = date(int("".join(text[:4])), int("".join(text[4:6])), int("".join(text[6:])))
        except ValueError:
            continue
        if slipped != day:
            return slipped
    return None


def _date_error(rng: random.Random, day: date) -> tuple[str, str]:
    """A clerical error: (kind, partial ISO date)."""
    kind = rng.choices(
        ("swap", "day", "digit", "year", "no_day", "year_only"), (24, 17, 22, 14, 15, 8)
    )[0]
    if kind == "swap":
        if day.day <= 12 and day.day != day.month:
            return kind, _iso(date(day.year, day.day, day.month))
        kind = "digit"
    if kind == "digit":
        slipped = _digit_slip(rng, day)
        if slipped is not None:
            return kind, _iso(slipped)
        kind = "day"
    if kind == "day":
        return kind, _iso(day + timedelta(days=rng.choice((-1, 1))))
    if kind == "year":
        year = day.year + rng.choice((-1, 1))
        try:
            return kind, _iso(day.replace(year=year))
        except ValueError:  # 29 February
            return kind, _iso(date(year, 2, 28))
    if kind == "no_day":
        return kind, _iso(day, 2)
    return kind, _iso(day, 1)


# ---------------------------------------------------------------------------------------------
# Rendering: requests (Ukrainian side) and disclosures (Russian side)
# ---------------------------------------------------------------------------------------------
_UK_KIND = {"м": "м.", "смт": "смт", "с": "с."}
_RU_KIND = {"м": "г.", "смт": "пгт", "с": "с."}


def _uk_place(rng: random.Random, place: Place) -> str:
    name = place.uk_old if place.uk_old and rng.random() < 0.05 else place.uk
    style = rng.random()
    if style < 0.6:
        return name
    if style < 0.8:
        return f"{_UK_KIND[place.kind]} {name}"
    return f"{_UK_KIND[place.kind]} {name}, {_OBLASTS[place.oblast][0]}"


def _latin_place(rng: random.Random, place: Place) -> str:
    name = kmu(place.uk)
    if rng.random() < 0.25:
        return f"{name}, {kmu(_OBLASTS[place.oblast][0])}"
    return name


def _ru_place(rng: random.Random, place: Place) -> str:
    name = place.ru_alt if place.ru_alt and rng.random() < 0.72 else place.ru
    _, oblast_ru, republic = _OBLASTS[place.oblast]
    style = rng.random()
    if style < 0.45:
        return name
    if style < 0.7:
        return f"{_RU_KIND[place.kind]} {name}"
    region = republic if republic and rng.random() < 0.7 else oblast_ru
    if place.oblast == "CR" and rng.random() < 0.5:
        region = "Республика Крым"
    return f"{_RU_KIND[place.kind]} {name}, {region}"


def _ru_town(rng: random.Random) -> str:
    town, region = rng.choice(_RU_TOWNS)
    style = rng.random()
    if style < 0.5 or not region:
        return town if style < 0.75 else f"г. {town}"
    return f"г. {town}, {region}"


def _uk_person(rng: random.Random, adult: Adult, full_style: float = 0.5) -> str:
    given = adult.given
    patronymic = uk_patronymic(adult.patronymic_source, adult.sex)
    surname = adult.surname.uk(adult.sex)
    style = rng.random()
    if style < full_style:
        return f"{surname} {given} {patronymic}"
    if style < full_style + 0.25:
        return f"{given} {surname}"
    if style < full_style + 0.4:
        return f"{given} {patronymic}"
    return given


def _latin_person(rng: random.Random, adult: Adult, scheme: str) -> str:
    given_ru = _ru_primary(adult.given)
    surname_uk = adult.surname.uk(adult.sex)
    surname_ru = adult.surname.ru(adult.sex, rng)
    given = _SCHEMES[scheme](adult.given, given_ru)
    surname = _SCHEMES[scheme](surname_uk, surname_ru)
    style = rng.random()
    if style < 0.6:
        return f"{given} {surname}"
    if style < 0.8:
        return f"{surname.upper()} {given}"
    return given


def _ru_person(rng: random.Random, adult: Adult, surname_override: str = "") -> str:
    given = _ru_primary(adult.given)
    patronymic = ru_patronymic(_ru_primary(adult.patronymic_source), adult.sex)
    surname = surname_override or adult.surname.ru(adult.sex, rng)
    style = rng.random()
    if style < 0.55:
        return f"{surname} {given} {patronymic}"
    if style < 0.7:
        sep = " " if rng.random() < 0.5 else ""
        return f"{surname} {given[0]}.{sep}{patronymic[0]}."
    if style < 0.85:
        return f"{surname} {given}"
    return f"{given} {patronymic}"


def _request_date(rng: random.Random, day: date, parent: bool) -> str:
    roll = rng.random()
    full, month, year = (0.92, 0.95, 0.98) if parent else (0.70, 0.78, 0.96)
    if roll < full:
        return _iso(day)
    if roll < month:
        return _iso(day, 2)
    if roll < year:
        return _iso(day, 1)
    return _date_error(rng, day)[1]


def _request_row(rng: random.Random, child: Child, parent: bool, latin: bool) -> dict[str, str]:
    family = child.family
    row = dict.fromkeys(REQUEST_FIELDS, "")
    sex = child.sex
    surname_uk = family.surname.uk(sex)
    patronymic_uk = uk_patronymic(family.father.given, sex)
    variants: list[str] = []
    if latin:
        scheme = _SCHEME_PICKER(rng)
        given_ru = child.given.ru[0]
        surname_ru = family.surname.ru(sex, rng)
        row["given_name"] = _SCHEMES[scheme](child.given.uk, given_ru)
        row["surname"] = _SCHEMES[scheme](surname_uk, surname_ru)
        if rng.random() < 0.12:
            row["surname"] = row["surname"].upper()
            if rng.random() < 0.5:
                row["given_name"] = row["given_name"].upper()
        if rng.random() < 0.08:
            row["patronymic"] = _SCHEMES[scheme](patronymic_uk, patronymic_uk)
        if rng.random() < 0.3:
            alternatives = {
                _SCHEMES[other](child.given.uk, given_ru) for other in ("kmu", "rus", "folk")
            }
            alternatives.discard(row["given_name"])
            variants.extend(sorted(alternatives)[: rng.randint(1, 2)])
            if child.given.uk_dims and rng.random() < 0.5:
                variants.append(kmu(rng.choice(child.given.uk_dims)))
        row["birth_place"] = _latin_place(rng, family.home) if rng.random() < 0.85 else ""
        if rng.random() < (0.8 if parent else 0.6):
            row["mother_name"] = _latin_person(rng, family.mother, scheme)
        if family.father_known and rng.random() < (0.65 if parent else 0.4):
            row["father_name"] = _latin_person(rng, family.father, scheme)
    else:
        row["given_name"] = child.given.uk
        row["surname"] = surname_uk
        if rng.random() < (0.85 if parent else 0.6):
            row["patronymic"] = patronymic_uk
        if child.given.uk_dims and rng.random() < 0.22:
            variants.extend(rng.sample(child.given.uk_dims, k=1))
        if rng.random() < 0.06 and child.given.ru[0] != child.given.uk:
            variants.append(child.given.ru[0])
        row["birth_place"] = _uk_place(rng, family.home) if rng.random() < 0.9 else ""
        if rng.random() < (0.85 if parent else 0.65):
            row["mother_name"] = _uk_person(rng, family.mother)
        if family.father_known and rng.random() < (0.72 if parent else 0.45):
            row["father_name"] = _uk_person(rng, family.father)
    row["sex"] = child.sex if rng.random() > 0.01 else ""
    row["birth_date"] = _request_date(rng, child.birth, parent)
    last_seen = rng.random()
    if last_seen < 0.5:
        place = family.home.uk
    elif last_seen < 0.72:
        place = _place_near(rng, family.home).uk
    elif last_seen < 0.85:
        place = rng.choice(_LAST_SEEN_EXTRA)
    else:
        place = ""
    row["last_known_place"] = kmu(place) if latin and place else place
    row["name_variants"] = "; ".join(variants)
    return row


@dataclass
class _Distortions:
    surname_changed: int = 0
    identity_changed: int = 0
    date_errors: dict[str, int] = field(default_factory=dict)
    diminutive_given: int = 0
    literal_given: int = 0
    patronymic_missing: int = 0
    place_renamed: int = 0


def _ru_given(rng: random.Random, given: GivenName, stats: _Distortions) -> str:
    roll = rng.random()
    if roll < 0.02 and given.ru_dims:
        stats.diminutive_given += 1
        return rng.choice(given.ru_dims)
    if roll < 0.05 and _ru_letters(given.uk) != given.ru[0]:
        stats.literal_given += 1
        return _ru_letters(given.uk)
    if len(given.ru) > 1 and rng.random() < 0.3:
        return rng.choice(given.ru[1:])
    return given.ru[0]


def _institution(rng: random.Random, sex: str, guardianship: bool) -> str:
    if guardianship:
        options = (
            "Приёмная семья",
            "Под опекой",
            "Опекун",
            "Усыновлён" if sex == "M" else "Удочерена",
        )
        return rng.choice(options)
    roll = rng.random()
    if roll < 0.15:
        return ""
    if roll < 0.35:
        return f"ГБУ СРЦН «{rng.choice(_SHELTER_NAMES)}»"
    if roll < 0.5:
        return f"ГКУ «Детский дом № {rng.randint(1, 40)}»"
    if roll < 0.6:
        return f"ГБУ «Центр содействия семейному воспитанию № {rng.randint(1, 30)}»"
    if roll < 0.67:
        return f"Социальный приют для детей «{rng.choice(_SHELTER_NAMES)}»"
    if roll < 0.72:
        return f"Кадетская школа-интернат № {rng.randint(1, 12)}"
    if roll < 0.85:
        return "Приёмная семья"
    return "Под опекой (родственник)"


def _current_location(rng: random.Random, home: Place) -> str:
    roll = rng.random()
    if roll < 0.6:
        return _ru_town(rng)
    if roll < 0.95:
        return _ru_place(rng, home if rng.random() < 0.5 else _PLACE_SAMPLER(rng))
    return ""


def _disclosure_row(rng: random.Random, child: Child, stats: _Distortions) -> dict[str, str]:
    family = child.family
    sex = child.sex
    row = dict.fromkeys(DISCLOSURE_FIELDS, "")
    row["sex"] = sex
    row["given_name"] = _ru_given(rng, child.given, stats)
    surname = family.surname.ru(sex, rng)
    if len(family.surname.parts) > 1 and rng.random() < 0.45:
        surname = surname.split("-")[rng.randrange(2)]
    patronymic = ru_patronymic(_ru_primary(family.father.given), sex)
    roll = rng.random()
    if roll < 0.04:
        patronymic = _ru_letters(uk_patronymic(family.father.given, sex))
    elif roll < 0.11:
        patronymic = ""
        stats.patronymic_missing += 1
    birth_place = _ru_place(rng, family.home) if rng.random() < 0.9 else ""
    if family.home.ru_alt and family.home.ru_alt in birth_place:
        stats.place_renamed += 1
    guardianship = rng.random() < 0.115
    if guardianship:
        stats.surname_changed += 1
        guardian = _GROUP_SAMPLERS["ru"](rng) if rng.random() < 0.7 else rng.choice(ALL_SURNAMES)
        surname = Surname((guardian,)).ru(sex, rng)
        if rng.random() < 0.35:
            stats.identity_changed += 1
            patronymic = ru_patronymic(_ru_primary(_FATHER_SAMPLER(rng)), sex)
            birth_place = _ru_town(rng)
            if rng.random() < 0.15:
                row["given_name"] = _sample_given(rng, sex, {child.given.uk}).ru[0]
    row["surname"] = surname
    row["patronymic"] = patronymic
    row["birth_place"] = birth_place
    if rng.random() < 0.17:
        kind, row["birth_date"] = _date_error(rng, child.birth)
        stats.date_errors[kind] = stats.date_errors.get(kind, 0) + 1
    else:
        row["birth_date"] = _iso(child.birth)
    if rng.random() < (0.45 if guardianship else 0.62):
        row["mother_name"] = _ru_person(rng, family.mother)
    if family.father_known and rng.random() < (0.25 if guardianship else 0.42):
        row["father_name"] = _ru_person(rng, family.father)
    row["current_location"] = _current_location(rng, family.home)
    row["institution"] = _institution(rng, sex, guardianship)
    if rng.random() < 0.35:
        row = {key: _drop_yo(value) for key, value in row.items()}
    return row


def _russian_child_row(rng: random.Random, model: Child | None) -> dict[str, str]:
    """A child of Russian parents, with no Ukrainian counterpart; or a namesake of ``model``."""
    row = dict.fromkeys(DISCLOSURE_FIELDS, "")
    if model is not None:
        sex = model.sex
        given = model.given.ru[0]
        surname = Surname(model.family.surname.parts[:1])
        year = model.birth.year
    else:
        sex = rng.choice("MF")
        given = _sample_given(rng, sex, set()).ru[0]
        entry = _GROUP_SAMPLERS["ru"](rng) if rng.random() < 0.8 else rng.choice(ALL_SURNAMES)
        surname = Surname((entry,))
        year = rng.randint(2005, 2022)
    birth = date(year, 1, 1) + timedelta(days=rng.randrange(365))
    father = Adult(_FATHER_SAMPLER(rng), _FATHER_SAMPLER(rng), surname, "M")
    mother = Adult(_MOTHER_SAMPLER(rng), _FATHER_SAMPLER(rng), surname, "F")
    father_ru = _ru_primary(father.given)
    row.update(
        sex=sex,
        given_name=given,
        surname=surname.ru(sex, rng),
        patronymic=ru_patronymic(father_ru, sex),
        birth_date=_iso(birth) if rng.random() < 0.93 else _iso(birth, 1),
        birth_place=_ru_town(rng) if rng.random() < 0.75 else _ru_place(rng, _PLACE_SAMPLER(rng)),
        current_location=_ru_town(rng),
        institution=_institution(rng, sex, False),
    )
    if rng.random() < 0.55:
        row["mother_name"] = _ru_person(rng, mother)
    if rng.random() < 0.35:
        row["father_name"] = _ru_person(rng, father)
    if rng.random() < 0.35:
        row = {key: _drop_yo(value) for key, value in row.items()}
    return row


# ---------------------------------------------------------------------------------------------
# The public entry points
# ---------------------------------------------------------------------------------------------


@dataclass
class Scenario:
    requests: list[dict[str, str]]
    disclosures: list[dict[str, str]]
    truth: set[tuple[str, str]]
    meta: dict[str, Any]


def _unique_id(rng: random.Random, prefix: str, used: set[str], digits: int) -> str:
    while True:
        if prefix == "TR":
            candidate = f"TR-{rng.randrange(16**digits):0{digits}X}"
        else:
            candidate = f"{prefix}-{rng.randrange(10**digits):0{digits}d}"
        if candidate not in used:
            used.add(candidate)
            return candidate


def generate_scenario(seed: int, n_children: int) -> Scenario:
    """Generate requests, disclosures, truth pairs and statistics about the distortions."""
    rng = random.Random(seed)
    families = _build_world(rng, n_children)
    children = [child for family in families for child in family.children]

    for family in families:
        for child in family.children:
            child.requested = family.files_request and rng.random() < 0.95
            child.disclosed = family.disclosed and rng.random() < 0.92
            if not child.requested and not child.disclosed:
                if rng.random() < 0.5:
                    child.requested = True
                else:
                    child.disclosed = True

    used_ids: set[str] = set()
    stats = _Distortions()
    requests: list[dict[str, str]] = []
    disclosures: list[dict[str, str]] = []
    truth: set[tuple[str, str]] = set()
    request_scripts = {"cyrillic": 0, "latin": 0}
    multi_requested = 0
    mixed_script_children = 0

    for child in children:
        disclosed_id = ""
        if child.disclosed:
            disclosed_id = _unique_id(rng, "RF", used_ids, 7)
            row = _disclosure_row(rng, child, stats)
            row["id"] = disclosed_id
            disclosures.append(row)
        if not child.requested:
            continue
        count = rng.choices((1, 2, 3), (75, 22, 3))[0]
        if count == 1:
            scripts = [rng.random() < 0.2]
        else:
            first_latin = rng.random() < 0.15
            scripts = [first_latin, not first_latin if rng.random() < 0.8 else first_latin]
            scripts += [rng.random() < 0.4 for _ in range(count - 2)]
        if count > 1:
            multi_requested += 1
            if len(set(scripts)) > 1:
                mixed_script_children += 1
        for index, latin in enumerate(scripts):
            row = _request_row(rng, child, parent=index == 0, latin=latin)
            row["id"] = _unique_id(rng, "TR", used_ids, 8)
            request_scripts["latin" if latin else "cyrillic"] += 1
            requests.append(row)
            if disclosed_id:
                truth.add((row["id"], disclosed_id))

    n_russian = round(n_children * 0.08)
    for _ in range(n_russian):
        model = rng.choice(children) if rng.random() < 0.25 else None
        row = _russian_child_row(rng, model)
        row["id"] = _unique_id(rng, "RF", used_ids, 7)
        disclosures.append(row)

    rng.shuffle(requests)
    rng.shuffle(disclosures)

    sizes = [len(family.children) for family in families]
    disclosed_children = sum(child.disclosed for child in children)
    meta: dict[str, Any] = {
        "children": len(children),
        "families": len(families),
        "with_sibling": sum(size for size in sizes if size > 1) / len(children),
        "twins": sum(child.twin for child in children),
        "namesakes": sum(child.namesake for child in children),
        "cousin_families": sum(f.cousin_of is not None for f in families),
        "requested": sum(child.requested for child in children),
        "disclosed": disclosed_children,
        "requested_and_disclosed": sum(c.requested and c.disclosed for c in children),
        "multi_requested": multi_requested,
        "mixed_script_children": mixed_script_children,
        "latin_requests": request_scripts["latin"],
        "cyrillic_requests": request_scripts["cyrillic"],
        "russian_children": n_russian,
        "surname_changed": stats.surname_changed,
        "surname_changed_share": stats.surname_changed / max(disclosed_children, 1),
        "identity_changed": stats.identity_changed,
        "date_errors": dict(sorted(stats.date_errors.items())),
        "date_error_share": sum(stats.date_errors.values()) / max(disclosed_children, 1),
        "diminutive_given": stats.diminutive_given,
        "literal_given": stats.literal_given,
        "patronymic_missing": stats.patronymic_missing,
        "place_renamed": stats.place_renamed,
    }
    return Scenario(requests, disclosures, truth, meta)


def generate(
    seed: int, n_children: int
) -> tuple[list[dict[str, str]], list[dict[str, str]], set[tuple[str, str]]]:
    """(requests, disclosures, truth pairs (request_id, disclosure_id))."""
    scenario = generate_scenario(seed, n_children)
    return scenario.requests, scenario.disclosures, scenario.truth


def write_csvs(
    out: Path,
    requests: list[dict[str, str]],
    disclosures: list[dict[str, str]],
    truth: set[tuple[str, str]],
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, fields, rows in (
        ("requests.csv", REQUEST_FIELDS, requests),
        ("disclosures.csv", DISCLOSURE_FIELDS, disclosures),
    ):
        with (out / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(fields))
            writer.writeheader()
            writer.writerows(rows)
    with (out / "truth.csv").open("w", encoding="utf-8", newline="") as handle:
        writer_t = csv.writer(handle)
        writer_t.writerow(TRUTH_FIELDS)
        writer_t.writerows(sorted(truth))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--children", type=int, default=3000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--stats", action="store_true", help="print the distortion statistics")
    args = parser.parse_args(argv)
    scenario = generate_scenario(args.seed, args.children)
    write_csvs(args.out, scenario.requests, scenario.disclosures, scenario.truth)
    print(
        f"{len(scenario.requests)} requests, {len(scenario.disclosures)} disclosures, "
        f"{len(scenario.truth)} true pairs -> {args.out}"
    )
    if args.stats:
        for key, value in scenario.meta.items():
            print(f"  {key}: {value}")


if __name__ == "__main__":
    main()
