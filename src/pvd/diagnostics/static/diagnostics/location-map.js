/*
 * Location map of a portrait de ville: replaces the static SVG drawing by an interactive
 * Leaflet map of the same data (department contour, the commune, the other communes of its
 * EPCI), read from the json_script block the figure names. Background tiles only when the
 * platform is configured with them (PVD_MAP_TILES); otherwise the map is drawn offline.
 * Without JavaScript or Leaflet, the SVG and its caption stay.
 */
(function () {
  "use strict";

  function draw(figure) {
    var source = document.getElementById(figure.getAttribute("data-pvd-location"));
    var holder = figure.querySelector(".pvd-location__map");
    if (!source || !holder || typeof window.L === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    holder.hidden = false;
    var map = L.map(holder, { scrollWheelZoom: false, keyboard: true, zoomSnap: 0.25 });
    map.attributionControl.setPrefix(
      '<a href="https://leafletjs.com" rel="noopener">Leaflet</a>'
    );
    if (data.tiles) {
      L.tileLayer(data.tiles.url, {
        attribution: data.tiles.attribution,
        maxZoom: 18,
      }).addTo(map);
    }
    // L.geoJSON applies ``style`` to the points' circle markers too: one style per role.
    var styles = {
      departement: {
        color: "#000091",
        weight: 2,
        fillColor: "#e3e3fd",
        fillOpacity: data.tiles ? 0.15 : 0.6,
      },
      commune: { color: "#ffffff", weight: 2, fillColor: "#e1000f", fillOpacity: 1 },
      voisine: { color: "#3a3a3a", weight: 1, fillColor: "#666666", fillOpacity: 1 },
    };
    var layer = L.geoJSON(data.geojson, {
      style: function (feature) {
        return styles[feature.properties.role];
      },
      pointToLayer: function (feature, latlng) {
        var own = feature.properties.role === "commune";
        return L.circleMarker(latlng, {
          radius: own ? 8 : 4,
          className: own ? "pvd-location__commune" : "pvd-location__voisine",
        });
      },
      onEachFeature: function (feature, item) {
        if (feature.geometry.type === "Point") {
          item.bindTooltip(feature.properties.nom, {
            permanent: feature.properties.role === "commune",
            direction: "top",
          });
        }
      },
    }).addTo(map);
    // The commune above its neighbours, whatever the order of the features.
    layer.eachLayer(function (item) {
      if (item.feature.properties.role === "commune") {
        item.bringToFront();
      }
    });
    map.fitBounds(layer.getBounds(), { padding: [12, 12] });
    figure.classList.add("pvd-location--interactive");
  }

  function init() {
    var figures = document.querySelectorAll("[data-pvd-location]");
    for (var i = 0; i < figures.length; i++) {
      draw(figures[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
