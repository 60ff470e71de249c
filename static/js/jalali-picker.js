// The report pages' period picker, a little easier with script: only the fields the chosen
// period needs are shown, each date field gets a Jalali calendar, and a statement's Print
// button prints. Without script every field shows and dates are typed (1405/07/15).
(function () {
  "use strict";

  // Jalali dates and day numbers (the arithmetic of jalaali-js, MIT licence): a day number
  // is a Julian day, so a month's length is a subtraction and a weekday a remainder.
  var BREAKS = [-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097,
    2192, 2262, 2324, 2394, 2456, 3178];

  function div(a, b) { return ~~(a / b); }
  function mod(a, b) { return a - ~~(a / b) * b; }

  function marchDay(jy) {
    // The day of March (Gregorian) on which Farvardin 1 of ``jy`` falls.
    var gy = jy + 621, leapJ = -14, jp = BREAKS[0], jump = 0, i, jm, n;
    for (i = 1; i < BREAKS.length; i += 1) {
      jm = BREAKS[i];
      jump = jm - jp;
      if (jy < jm) { break; }
      leapJ = leapJ + div(jump, 33) * 8 + div(mod(jump, 33), 4);
      jp = jm;
    }
    n = jy - jp;
    leapJ = leapJ + div(n, 33) * 8 + div(mod(n, 33) + 3, 4);
    if (mod(jump, 33) === 4 && jump - n === 4) { leapJ += 1; }
    var leapG = div(gy, 4) - div((div(gy, 100) + 1) * 3, 4) - 150;
    return { gy: gy, march: 20 + leapJ - leapG };
  }

  function gregorianToDay(gy, gm, gd) {
    var d = div((gy + div(gm - 8, 6) + 100100) * 1461, 4) + div(153 * mod(gm + 9, 12) + 2, 5) +
      gd - 34840408;
    return d - div(div(gy + 100100 + div(gm - 8, 6), 100) * 3, 4) + 752;
  }

  function dayToGregorian(day) {
    var j = 4 * day + 139361631;
    j = j + div(div(4 * day + 183187720, 146097) * 3, 4) * 4 - 3908;
    var i = div(mod(j, 1461), 4) * 5 + 308;
    var gd = div(mod(i, 153), 5) + 1;
    var gm = mod(div(i, 153), 12) + 1;
    return { gy: div(j, 1461) - 100100 + div(8 - gm, 6), gm: gm, gd: gd };
  }

  function jalaliToDay(jy, jm, jd) {
    var start = marchDay(jy);
    return gregorianToDay(start.gy, 3, start.march) + (jm - 1) * 31 - div(jm, 7) * (jm - 7) + jd - 1;
  }

  function dayToJalali(day) {
    var jy = dayToGregorian(day).gy - 621;
    if (day < jalaliToDay(jy, 1, 1)) { jy -= 1; }
    var k = day - jalaliToDay(jy, 1, 1);
    if (k <= 185) { return { y: jy, m: 1 + div(k, 31), d: mod(k, 31) + 1 }; }
    k -= 186;
    return { y: jy, m: 7 + div(k, 30), d: mod(k, 30) + 1 };
  }

  function monthLength(y, m) {
    return (m === 12 ? jalaliToDay(y + 1, 1, 1) : jalaliToDay(y, m + 1, 1)) - jalaliToDay(y, m, 1);
  }

  // Saturday is the first day of the Persian week; Julian day 0 was a Monday.
  function weekday(day) { return mod(day + 2, 7); }

  var PERSIAN = "۰۱۲۳۴۵۶۷۸۹";
  function asciiDigits(text) {
    return text.replace(/[۰-۹]/g, function (c) { return String(PERSIAN.indexOf(c)); })
      .replace(/[٠-٩]/g, function (c) { return String(c.charCodeAt(0) - 0x660); });
  }
  function localDigits(text, persian) {
    return persian ? String(text).replace(/[0-9]/g, function (c) { return PERSIAN[+c]; }) : String(text);
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function parseDate(text) {
    var parts = asciiDigits(text || "").trim().split(/[\/\-.]/);
    if (parts.length !== 3 || !parts.every(function (p) { return /^\d{1,4}$/.test(p); })) { return null; }
    var y = +parts[0], m = +parts[1], d = +parts[2];
    if (y < 1300 || y > 1600 || m < 1 || m > 12 || d < 1 || d > monthLength(y, m)) { return null; }
    return jalaliToDay(y, m, d);
  }

  function formatDate(day) {
    var j = dayToJalali(day);
    return j.y + "/" + pad(j.m) + "/" + pad(j.d);
  }

  var MONTHS = {
    fa: ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"],
    en: ["Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar", "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand"]
  };
  var WEEKDAYS = {
    fa: { short: ["ش", "ی", "د", "س", "چ", "پ", "ج"], long: ["شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه"] },
    en: { short: ["Sa", "Su", "Mo", "Tu", "We", "Th", "Fr"], long: ["Saturday", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday"] }
  };

  function todayNumber() {
    // Today in Tehran when the browser knows the zone, else on the device's clock.
    var now = new Date();
    try {
      var parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tehran", year: "numeric", month: "2-digit", day: "2-digit" }).format(now).split("-");
      return gregorianToDay(+parts[0], +parts[1], +parts[2]);
    } catch (error) {
      return gregorianToDay(now.getFullYear(), now.getMonth() + 1, now.getDate());
    }
  }

  var counter = 0;

  function Calendar(input, form) {
    var lang = document.documentElement.lang === "fa" ? "fa" : "en";
    var persian = lang === "fa";
    var rtl = document.documentElement.dir === "rtl";
    var label = form.querySelector('label[for="' + input.id + '"]');
    var name = label ? label.textContent.trim() : input.name;
    var id = "jalali-calendar-" + (counter += 1);
    var shown = null;   // the first day of the month shown
    var focused = null; // the day that has the focus inside the grid

    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "button secondary small picker-toggle";
    toggle.setAttribute("aria-haspopup", "dialog");
    toggle.setAttribute("aria-expanded", "false");
    toggle.setAttribute("aria-controls", id);
    toggle.textContent = form.getAttribute("data-calendar-label") + " ";
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = name;
    toggle.appendChild(hidden);

    var popup = document.createElement("div");
    popup.className = "jalali-calendar";
    popup.id = id;
    popup.hidden = true;
    popup.setAttribute("role", "dialog");
    popup.setAttribute("aria-label", form.getAttribute("data-calendar-title") + ": " + name);

    var head = document.createElement("div");
    head.className = "calendar-head";
    var previous = navButton(form.getAttribute("data-previous-label"), rtl ? "→" : "←");
    var next = navButton(form.getAttribute("data-next-label"), rtl ? "←" : "→");
    var title = document.createElement("p");
    title.className = "calendar-month";
    title.id = id + "-month";
    title.setAttribute("aria-live", "polite");
    head.appendChild(previous);
    head.appendChild(title);
    head.appendChild(next);

    var table = document.createElement("table");
    table.setAttribute("role", "grid");
    table.setAttribute("aria-labelledby", title.id);
    var headRow = table.createTHead().insertRow();
    WEEKDAYS[lang].short.forEach(function (short, index) {
      var th = document.createElement("th");
      th.scope = "col";
      th.abbr = WEEKDAYS[lang].long[index];
      th.textContent = short;
      headRow.appendChild(th);
    });
    var body = table.createTBody();

    var close = document.createElement("button");
    close.type = "button";
    close.className = "button secondary small";
    close.textContent = form.getAttribute("data-close-label");

    popup.appendChild(head);
    popup.appendChild(table);
    popup.appendChild(close);
    var holder = input.closest(".field") || input.parentNode;
    holder.appendChild(toggle);
    holder.appendChild(popup);

    function navButton(text, arrow) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button secondary small calendar-nav";
      button.setAttribute("aria-label", text);
      button.textContent = arrow;
      return button;
    }

    function dayLabel(day) {
      var j = dayToJalali(day);
      return WEEKDAYS[lang].long[weekday(day)] + " " + localDigits(j.d, persian) + " " +
        MONTHS[lang][j.m - 1] + " " + localDigits(j.y, persian);
    }

    function render(focusDay) {
      var j = dayToJalali(focusDay);
      shown = jalaliToDay(j.y, j.m, 1);
      focused = focusDay;
      title.textContent = MONTHS[lang][j.m - 1] + " " + localDigits(j.y, persian);
      while (body.rows.length) { body.deleteRow(0); }
      var chosen = parseDate(input.value);
      var today = todayNumber();
      var length = monthLength(j.y, j.m);
      var row = body.insertRow();
      for (var blank = 0; blank < weekday(shown); blank += 1) { row.insertCell(); }
      for (var d = 1; d <= length; d += 1) {
        var day = shown + d - 1;
        if (weekday(day) === 0 && d > 1) { row = body.insertRow(); }
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = localDigits(d, persian);
        button.setAttribute("aria-label", dayLabel(day));
        button.setAttribute("data-day", String(day));
        button.tabIndex = day === focusDay ? 0 : -1;
        if (day === chosen) { button.setAttribute("aria-pressed", "true"); }
        if (day === today) { button.setAttribute("aria-current", "date"); }
        row.insertCell().appendChild(button);
      }
      while (row.cells.length < 7) { row.insertCell(); }
    }

    function focusDay(day) {
      var j = dayToJalali(day), s = dayToJalali(shown);
      if (j.y !== s.y || j.m !== s.m) { render(day); } else {
        focused = day;
        body.querySelectorAll("button").forEach(function (b) {
          b.tabIndex = +b.getAttribute("data-day") === day ? 0 : -1;
        });
      }
      var target = body.querySelector('button[data-day="' + day + '"]');
      if (target) { target.focus(); }
    }

    function shiftMonth(day, months) {
      var j = dayToJalali(day);
      var index = j.y * 12 + j.m - 1 + months;
      var y = div(index, 12), m = mod(index, 12) + 1;
      return jalaliToDay(y, m, Math.min(j.d, monthLength(y, m)));
    }

    function open() {
      render(parseDate(input.value) || todayNumber());
      popup.hidden = false;
      toggle.setAttribute("aria-expanded", "true");
      focusDay(focused);
    }

    function shut(returnFocus) {
      if (popup.hidden) { return; }
      popup.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
      if (returnFocus) { toggle.focus(); }
    }

    toggle.addEventListener("click", function () {
      if (popup.hidden) { open(); } else { shut(false); }
    });
    close.addEventListener("click", function () { shut(true); });
    previous.addEventListener("click", function () { render(shiftMonth(focused, -1)); });
    next.addEventListener("click", function () { render(shiftMonth(focused, 1)); });
    body.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-day]");
      if (!button) { return; }
      input.value = formatDate(+button.getAttribute("data-day"));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      shut(false);
      input.focus();
    });
    body.addEventListener("keydown", function (event) {
      var step = { ArrowUp: -7, ArrowDown: 7, ArrowLeft: rtl ? 1 : -1, ArrowRight: rtl ? -1 : 1 }[event.key];
      var day = focused;
      if (step) { day += step; } else if (event.key === "PageUp") { day = shiftMonth(day, -1); } else if (event.key === "PageDown") { day = shiftMonth(day, 1); } else if (event.key === "Home") { day -= weekday(day); } else if (event.key === "End") { day += 6 - weekday(day); } else { return; }
      event.preventDefault();
      focusDay(day);
    });
    popup.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); shut(true); }
    });
    document.addEventListener("click", function (event) {
      if (!popup.hidden && !popup.contains(event.target) && !toggle.contains(event.target)) { shut(false); }
    });
  }

  function setUpPicker(form) {
    var select = form.querySelector('select[name="period"]');
    var parts = form.querySelectorAll("[data-shown-for]");
    function show() {
      parts.forEach(function (part) {
        part.hidden = part.getAttribute("data-shown-for") !== select.value;
      });
    }
    if (select && parts.length) {
      select.addEventListener("change", show);
      show();
    }
    form.querySelectorAll('input[name="from"], input[name="to"]').forEach(function (input) {
      new Calendar(input, form);
    });
  }

  function setUp() {
    document.querySelectorAll("form[data-period-picker]").forEach(setUpPicker);
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  if (typeof document === "undefined") {
    // Loaded outside a browser (the calendar's arithmetic checked on its own).
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }

  // For the tests of the calendar's arithmetic (node): nothing else reads these.
  if (typeof module !== "undefined" && module.exports) {
    module.exports = { jalaliToDay: jalaliToDay, dayToJalali: dayToJalali, monthLength: monthLength, weekday: weekday, gregorianToDay: gregorianToDay };
  }
}());
