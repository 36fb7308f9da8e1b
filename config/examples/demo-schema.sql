-- The demo's tables, created by `sluice serve` (no --config) on its first run, when none of the
-- tables its mappings name exists yet. They belong to the demo, not to Sluice: Sluice's own
-- tables live in schema `sluice` and come from the migrations.

CREATE TABLE public.users (
  id         bigint PRIMARY KEY,
  name       text NOT NULL,
  email      text NOT NULL UNIQUE,
  country    text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.products (
  id       bigint PRIMARY KEY,
  name     text NOT NULL,
  category text NOT NULL,
  price    numeric(10, 2) NOT NULL,
  sold     integer NOT NULL DEFAULT 0
);

CREATE INDEX products_category_sold ON public.products (category, sold DESC);

CREATE TABLE public.page_views (
  id        bigserial PRIMARY KEY,
  user_id   bigint,
  path      text NOT NULL,
  referrer  text,
  viewed_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO public.users (id, name, email, country) VALUES
  (1, 'Ada Lovelace', 'ada@example.com', 'GB'),
  (2, 'Grace Hopper', 'grace@example.com', 'US'),
  (3, 'Edsger Dijkstra', 'edsger@example.com', 'NL'),
  (4, 'Barbara Liskov', 'barbara@example.com', NULL);

INSERT INTO public.products (id, name, category, price, sold) VALUES
  (1, 'Espresso machine', 'kitchen', 249.00, 120),
  (2, 'Burr grinder', 'kitchen', 89.50, 310),
  (3, 'Milk frother', 'kitchen', 24.99, 95),
  (4, 'Desk lamp', 'office', 39.90, 410),
  (5, 'Standing desk', 'office', 499.00, 42),
  (6, 'Notebook', 'office', 4.50, 1200),
  (7, 'Trail shoes', 'outdoor', 129.00, 230),
  (8, 'Head torch', 'outdoor', 34.00, 180);

INSERT INTO public.page_views (user_id, path, referrer) VALUES
  (1, '/', NULL),
  (1, '/products/2', '/'),
  (2, '/products/4', 'https://search.example.com/');
