"""后台界面: the admin in Chinese and under GovSite's own name — language choice, names in 姓名 order,
readable page slugs, branding templates. The translations themselves are in govsite/locale/."""
