-- wrk: the floor of the same Tomcat: a 404 for a path no filter or servlet handles.
wrk.method = "GET"
wrk.path = "/nothing-here"
