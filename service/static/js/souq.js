/* Souq progressive enhancements. Every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function geolocate(button) {
    if (!navigator.geolocation) { return; }
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (pos) {
      var lat = pos.coords.latitude.toFixed(4), lon = pos.coords.longitude.toFixed(4);
      if (button.dataset.geolocate === "home") {
        window.location.href = "/?lat=" + lat + "&lon=" + lon;
        return;
      }
      var form = button.form;
      form.querySelector("[data-geo-lat]").value = lat;
      form.querySelector("[data-geo-lon]").value = lon;
      form.querySelector("#near").value = "";
      var radius = form.querySelector("#radius_km");
      if (!radius.value) { radius.value = "10"; }
      form.submit();
    }, function () { button.disabled = false; }, { timeout: 10000, maximumAge: 600000 });
  }

  function suggest(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { return; }
      timer = setTimeout(function () {
        fetch("/api/v1/suggest?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (body) {
            if (!body) { return; }
            list.textContent = "";
            body.titles.concat(body.categories.map(function (c) { return c.name_ar || c; }))
              .forEach(function (text) {
                if (typeof text !== "string") { return; }
                var option = document.createElement("option");
                option.value = text;
                list.appendChild(option);
              });
          })
          .catch(function () { /* suggestions are optional */ });
      }, 200);
    });
  }

  function fragmentToken(input) {
    var match = /^#token=([A-Za-z0-9_\-]+)$/.exec(window.location.hash);
    if (!match) { return; }
    input.value = match[1];
    history.replaceState(null, "", window.location.pathname);
    input.form.submit();
  }

  ready(function () {
    document.querySelectorAll("[data-geolocate]").forEach(function (b) {
      if (navigator.geolocation) { b.addEventListener("click", function () { geolocate(b); }); }
      else { b.hidden = true; }
    });
    document.querySelectorAll("input[data-suggest]").forEach(suggest);
    document.querySelectorAll("[data-fragment-token]").forEach(fragmentToken);
    document.querySelectorAll("details[data-open-wide]").forEach(function (d) {
      if (window.matchMedia("(min-width: 900px)").matches) { d.open = true; }
    });
    var form = document.getElementById("search-form");
    if (form) {
      form.addEventListener("change", function (e) {
        var t = e.target;
        if (t.matches("[data-autosubmit], input[type=checkbox]")) { form.submit(); }
      });
    }
    document.querySelectorAll("[data-copy]").forEach(function (b) {
      b.addEventListener("click", function () {
        var field = document.querySelector(b.dataset.copy);
        if (navigator.clipboard) {
          navigator.clipboard.writeText(field.value).then(function () { b.textContent = "نُسخ ✓"; });
        } else { field.select(); }
      });
    });
  });
}());
