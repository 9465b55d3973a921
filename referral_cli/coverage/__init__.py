"""The coverage matrix: which strategy areas each place has, and its gaps in plain words.

The package reads in one direction (each module imports only those before it):
:mod:`.model` (the records and the JSON shape) and :mod:`.choices` (the words
asked for, checked); :mod:`.places` (where each provider is located, what a
service area reaches); :mod:`.count` (:func:`~referral_cli.coverage.count.count`
makes the :class:`~referral_cli.coverage.model.Matrix`); :mod:`.plans` (the
capacity, languages and staleness matrices); the renderers :mod:`.render_text`,
:mod:`.render_markdown` and :mod:`.render_html`, sharing :mod:`.legend`.
Nothing here knows the command line.

:func:`~referral_cli.coverage.count.count` counts, for every row (a strategy area
of a framework, or with ``detail="services"`` also the service types within each
area) and every place (a county, city, region or country taken from the
providers' public addresses), the providers that serve that place. A cell tells apart the providers **located**
there from the **remote** ones (phone, online or statewide/nationwide services)
that reach it: ``2+1`` means two located here and one remote or statewide.

Rules, kept simple on purpose so a coordinator can check any number by hand:

* **Places** come from :meth:`Provider.public_address` (never the street or the
  coordinates). A provider whose address lacks the field (``--by county`` and no
  county, as Mexican addresses) is counted under its state when the address names
  one (``Baja California, MX``), else under ``(unknown)`` told apart by what the
  address gives (``(unknown) in MX``) — unless it has a ``service_area`` with
  regions or countries, in which case it is a remote service located nowhere in
  particular. Only located providers create places: a statewide line alone does
  not add a column. A region is shown by its name (``California``; with its
  country when the directory spans several: ``Baja California, MX``), a country
  by its ISO code (``US``); when the places span several states every county or
  city carries its state (``Orange County, FL``), as does a name found in two.
* **Remote reach**: a provider with ``service_area.regions`` (ISO 3166-2, such as
  ``US-CA``) or ``service_area.countries`` (``US``) reaches every place that
  overlaps them — every county or city in that region (the place's region is the
  one of the addresses of the providers located there: country ``US`` plus region
  ``CA`` is ``US-CA``), the region itself, and, for ``--by country``, the country
  that contains the region. In its own place a provider counts as located, never
  twice. A provider with only ``radius_km`` (or ``remote: true`` without regions or
  countries) counts as located in its own place only: the matrix does not guess
  which neighbouring places a radius covers.
* **Areas** of a provider are derived from its service types through the
  taxonomy's crosswalk (``taxonomy.yaml``), in every framework, the Freedom
  Strategy included. The same providers are therefore counted in each place
  whatever the framework: only the rows differ.
* **Populations** (``population="minors"``, ``"kids"``, ``"women"``, …; see
  ``referral taxonomy``): a provider counts when its eligibility admits people of
  that population — the age ranges overlap (``[18, -]`` does not admit minors,
  ``[12, 17]`` does) and its genders, if it states any, include the population's
  gender. Group populations such as ``lgbtq`` exclude nobody: every provider
  counts. Places are found from all providers, so a county whose shelters are
  only for adults still appears, with its gap, when counting for minors.
* **Gaps**: per place, the areas with nothing at all (``nothing in Restoration``;
  with a population, ``nothing in Restoration for minors`` when others are served
  there) and the critical services missing (temporary shelter, counseling, legal
  aid, medical care), e.g. ``Tulare County: nothing in Restoration; no temporary
  shelter for minors``, and the areas reached only by remote or statewide
  services (``only remote in Reforms``). **Completeness** tells the two apart:
  ``3+1/5`` is 3 areas with a provider located in the place plus 1 reached only
  remotely, of 5; a place is ``complete`` only when every area has a provider
  located there (``5/5``), never through remote help alone.
* **Order**: places by name, or with ``sort="gaps"`` those in most need first
  (fewest areas located there, fewest covered at all, most critical services
  missing, fewest providers located there).
"""
